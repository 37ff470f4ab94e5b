/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-media.h: the server's photo store. Photos are files in the media directory
 * (next to the database, DB.media by default) under random names: 32 hex digits and
 * an extension taken from the file's magic bytes (.jpeg or .png), never from what
 * the client said. Reports and updates refer to them as "/api/v1/media/NAME". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest photo accepted, in bytes (decoded). */
#define KS_MEDIA_MAX_BYTES   (5 * 1024 * 1024)
/* How reports and updates refer to a stored photo: this prefix and its name. */
#define KS_MEDIA_PREFIX      "/api/v1/media/"

/* The MIME type of an image by its magic bytes: "image/jpeg", "image/png", or NULL. */
const char *ks_media_sniff          (const guint8 *data, gsize len);
/* TRUE when name is exactly [0-9a-f]{32}\.(jpeg|png). */
gboolean    ks_media_name_is_valid  (const char *name);
/* The MIME type for a valid name's extension. */
const char *ks_media_content_type   (const char *name);
/* The name inside a reference "/api/v1/media/NAME", or NULL when ref is not one. */
const char *ks_media_name_from_ref  (const char *ref);

/* Writes an image (checked by its magic bytes) to dir under a new random name,
 * atomically (a temporary file renamed into place). Returns the name. */
char       *ks_media_save           (const char *dir, const guint8 *data, gsize len,
                                     GError **error);
/* Writes data to dir/name atomically; used for files whose name the caller made. */
gboolean    ks_media_write          (const char *dir, const char *name,
                                     const guint8 *data, gsize len, GError **error);
/* Reads dir/name (name must be valid). KS_ERROR_NOT_FOUND when missing. */
GBytes     *ks_media_read           (const char *dir, const char *name, GError **error);

G_END_DECLS
