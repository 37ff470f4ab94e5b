/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-list-query.c: query strings and bounding boxes.
 *
 * The input is a raw query string ("bbox=...&state=open&cursor=..."), decoded as
 * the server decodes it (libsoup's form decoding, UTF-8 values only), then read
 * by the report list's parameter parsing (ks_api_reports_parse_list_query()) for a
 * signed-in member of staff and by the integer parameters of the sync feed. The
 * input is also read whole as a bbox. A refused query has a 4xx JSON error; a
 * parsed one has a sane filter. */
#include "api/ks-api-reports-private.h"
#include "ks-geo.h"

#include <libsoup/soup.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
check_bbox (const KsBBox *b)
{
  if (!(b->min_lon <= b->max_lon && b->min_lat <= b->max_lat &&
        b->min_lon >= -180 && b->max_lon <= 180 && b->min_lat >= -90 && b->max_lat <= 90))
    abort ();
}

static void
check_refusal (KsRequest *req)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (req->status < 400 || req->status > 499 ||
      !json_parser_load_from_data (parser, req->response->str, req->response->len, NULL))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(KsRequest) req = ks_request_new ();
  g_auto(KsListQuery) lq = { 0 };
  GHashTable *decoded;
  GHashTableIter it;
  gpointer k, v;
  KsBBox box;
  gint64 n;

  if (ks_bbox_parse (text, &box))
    check_bbox (&box);

  decoded = soup_form_decode (text);
  g_hash_table_iter_init (&it, decoded);
  while (g_hash_table_iter_next (&it, &k, &v))
    if (g_utf8_validate (k, -1, NULL) && g_utf8_validate (v, -1, NULL))
      g_hash_table_insert (req->query, g_strdup (k), g_strdup (v));
  g_hash_table_unref (decoded);

  /* An inspector of council 1. */
  req->principal.user_id = 2;
  req->principal.body_id = 1;
  req->principal.perms = ks_default_role_permissions (KS_ROLE_INSPECTORS);

  ks_list_query_init (&lq);
  if (ks_api_reports_parse_list_query (req, &lq))
    {
      const KsReportQuery *q = &lq.query;
      if (q->limit < 1 || q->limit > 1000)
        abort ();
      if (q->has_bbox)
        check_bbox (&q->bbox);
      for (guint i = 0; i < q->n_category_ids; i++)
        if (q->category_ids[i] <= 0)
          abort ();
      for (guint i = 0; i < q->n_priority_ids; i++)
        if (q->priority_ids[i] <= 0)
          abort ();
      for (guint i = 0; q->states != NULL && q->states[i] != NULL; i++)
        if (q->states[i][0] == '\0')
          abort ();
      if (q->body_id != 0 && q->body_id != 1)
        abort ();
    }
  else
    check_refusal (req);

  g_string_truncate (req->response, 0);
  req->status = 0;
  if (ks_request_query_int (req, "since", 0, G_MAXINT64, 0, &n))
    {
      if (n < 0)
        abort ();
    }
  else
    check_refusal (req);
  return 0;
}
