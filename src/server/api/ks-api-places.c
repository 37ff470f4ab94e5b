/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-places.c: the council's gazetteer: GET /api/v1/places?q= finds streets,
 * postcodes and named places whose words begin with the words typed ("high st"
 * finds "High Street"), best first. Any signed-in staff member may ask. */
#define G_LOG_DOMAIN "ks-api-places"

#include "api/ks-api.h"
#include "api/ks-api-util.h"
#include "places/ks-place-text.h"

#define PLACES_DEFAULT_LIMIT 10
#define PLACES_MAX_LIMIT     50
#define QUERY_MAX_LENGTH     200

static void
write_place (const KsPlaceRow *row, gpointer data)
{
  KsJsonWriter *w = data;

  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", row->id);
  ks_json_writer_member_string (w, "kind", row->kind);
  ks_json_writer_member_string (w, "name", row->name);
  ks_json_writer_member_string (w, "context", row->context);
  ks_json_writer_member_double (w, "lat", row->lat);
  ks_json_writer_member_double (w, "lon", row->lon);
  ks_json_writer_end_object (w);
}

/* GET /api/v1/places?q=&limit= */
static void
handle_places (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsPlaceQuery) q = { 0 };
  const char *text = ks_request_query (req, "q");
  gint64 body_id = 0, limit = 0;
  KsJsonWriter w;

  if (!ks_api_request_body (req, TRUE, &body_id) ||
      !ks_request_query_int (req, "limit", 1, PLACES_MAX_LIMIT, PLACES_DEFAULT_LIMIT, &limit))
    return;
  if (text == NULL || g_utf8_strlen (text, -1) > QUERY_MAX_LENGTH || !ks_place_query_init (&q, text))
    {
      ks_request_error (req, 422, "invalid",
                        "The parameter “q” must hold the start of a street, a postcode or a "
                        "place (1 to %d characters, with a letter or a digit).", QUERY_MAX_LENGTH);
      return;
    }
  ks_request_begin_json (req, 200, &w);
  ks_json_writer_begin_object (&w);
  ks_json_writer_key (&w, "places");
  ks_json_writer_begin_array (&w);
  if (!ks_store_places_search (req->store, body_id, &q, (guint) limit, write_place, &w, &error))
    {
      ks_request_gerror (req, error);
      return;
    }
  ks_json_writer_end_array (&w);
  ks_json_writer_member_null (&w, "next_cursor");
  ks_json_writer_end_object (&w);
}

void
ks_api_places_register (KsRouter *router)
{
  ks_router_add (router, "GET", "/api/v1/places", 0, KS_PERM_NONE, handle_places);
}
