/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-compress.h: answers compressed for the clients that ask (Accept-Encoding):
 * zstd for those that name it, gzip for those that take only gzip.
 *
 * Long JSON answers (a sync page of 50,000 reports is about 30 MB) shrink five
 * to eight times; the compression runs on the worker thread that wrote the
 * answer, never on the thread that serves the sockets. zstd at its fast levels
 * costs a fraction of zlib's CPU for a smaller answer. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Answers shorter than this go as they are: compressing would save too little. */
#define KS_COMPRESS_MIN_SIZE 1024

typedef enum {
  KS_ENCODING_IDENTITY,
  KS_ENCODING_GZIP,
  KS_ENCODING_ZSTD,
} KsEncoding;

/* The coding to answer a request in, from its Accept-Encoding (NULL: none).
 * The codings' q-values decide; at equal quality zstd goes before gzip. zstd
 * only when named (a client taking "*" may well not know it); gzip also by
 * "*". Nothing acceptable above q=0: identity. */
KsEncoding  ks_compress_choose        (const char *accept_encoding);

/* The Content-Encoding token of a coding other than identity. */
const char *ks_compress_encoding_name (KsEncoding encoding);

/* TRUE for the types worth compressing: JSON, XML, CSV and other text. */
gboolean    ks_compress_type_is_text  (const char *content_type);

/* A compressed stream fed piece by piece (a streamed answer). */
typedef struct _KsCompressor KsCompressor;

KsCompressor *ks_compressor_new  (KsEncoding encoding);
void          ks_compressor_free (KsCompressor *self);

/* Compresses len bytes of data onto out; with end, also the stream's end
 * (then the compressor is done). FALSE only if the library fails. */
gboolean      ks_compressor_feed (KsCompressor *self,
                                  const char   *data,
                                  gsize         len,
                                  gboolean      end,
                                  GString      *out);

/* Replaces text with its compressed form, in one go. FALSE (text unchanged)
 * if the library fails. */
gboolean      ks_compress_string (KsEncoding    encoding,
                                  GString      *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsCompressor, ks_compressor_free)

G_END_DECLS
