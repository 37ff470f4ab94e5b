/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-compress.h: gzip for answers whose client asks for it (Accept-Encoding).
 *
 * Long JSON answers (a sync page of 50,000 reports is about 30 MB) shrink about
 * eight times; the compression runs on the worker thread that wrote the answer,
 * never on the thread that serves the sockets. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Answers shorter than this go as they are: gzip would save too little. */
#define KS_COMPRESS_MIN_SIZE 1024

/* TRUE when an Accept-Encoding header accepts gzip (by name or by "*", with a
 * quality above 0). */
gboolean    ks_compress_accepts_gzip (const char *accept_encoding);

/* TRUE for the types worth compressing: JSON, XML, CSV and other text. */
gboolean    ks_compress_type_is_text (const char *content_type);

/* A gzip stream fed piece by piece (a streamed answer), at the speed-first
 * level. */
GConverter *ks_compress_gzip_new     (void);

/* Compresses len bytes of data onto out; with end, also the stream's trailer
 * (then the converter is done). FALSE only if zlib fails. */
gboolean    ks_compress_gzip_feed    (GConverter *gzip,
                                      const char *data,
                                      gsize       len,
                                      gboolean    end,
                                      GString    *out);

/* Replaces text with its gzip form, in one go. FALSE (text unchanged) if zlib
 * fails. */
gboolean    ks_compress_gzip_string  (GString    *text);

G_END_DECLS
