/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-places-locate.c: an address to a point, with the gazetteer (see
 * ks-places-locate.h). */
#include "places/ks-places-locate.h"
#include "places/ks-place-text.h"

typedef struct {
  gboolean  several_words;
  gboolean  found;
  double    lat, lon;
  char     *name;
} Best;

static void
take_best (const KsPlaceRow *row, gpointer data)
{
  Best *b = data;

  /* Only a street or a postcode (a town alone is no closer than the council's
   * middle), and only the name itself or, for two words or more, a name that
   * begins with them ("High St"): "High" alone is not taken for "High Street". */
  if (b->found || row->rank > (b->several_words ? 1 : 0) ||
      (g_strcmp0 (row->kind, "street") != 0 && g_strcmp0 (row->kind, "postcode") != 0))
    return;
  b->found = TRUE;
  b->lat = row->lat;
  b->lon = row->lon;
  b->name = g_strdup (row->name);
}

gboolean
ks_places_locate (KsStore     *store,
                  gint64       body_id,
                  const char  *address,
                  gboolean    *found,
                  double      *out_lat,
                  double      *out_lon,
                  char       **out_name,
                  GError     **error)
{
  g_auto(GStrv) candidates = ks_place_text_address_candidates (address);
  Best best = { FALSE, FALSE, 0, 0, NULL };

  for (guint i = 0; candidates[i] != NULL && !best.found; i++)
    {
      g_auto(KsPlaceQuery) q = { 0 };

      if (!ks_place_query_init (&q, candidates[i]))
        continue;
      best.several_words = q.words[1] != NULL;
      if (!ks_store_places_search (store, body_id, &q, 5, take_best, &best, error))
        return FALSE;
    }
  *found = best.found;
  if (best.found)
    {
      *out_lat = best.lat;
      *out_lon = best.lon;
    }
  if (out_name)
    *out_name = g_steal_pointer (&best.name);
  g_free (best.name);
  return TRUE;
}
