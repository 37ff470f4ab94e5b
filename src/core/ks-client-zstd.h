/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-client-zstd.h: the client's decoding of answers in zstd
 * (Content-Encoding: zstd), which libsoup's own decoder does not know. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The most an answer may decode to: far above a sync page of 50,000 reports
 * (about 35 MB), well below what a damaged or hostile answer could ask for. */
#define KS_CLIENT_ZSTD_MAX_SIZE (512 * 1024 * 1024)

/* The bytes that packed (one or more whole zstd frames) decodes to, at most
 * max_size of them. NULL with a KS_ERROR_FAILED sentence if packed is damaged,
 * cut short or decodes to more. */
GBytes *ks_client_zstd_decode (GBytes  *packed,
                               gsize    max_size,
                               GError **error);

G_END_DECLS
