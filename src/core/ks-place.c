/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-place.c: a place named from the nearest reports' addresses and wards. */
#define G_LOG_DOMAIN "ks-place"

#include "config.h"
#include "ks-place.h"
#include "ks-report.h"

#include <math.h>
#include <string.h>

#define STREET_RADIUS_M  400.0
#define WARD_RADIUS_M    5000.0
#define N_NEAREST        8

typedef struct {
  gint64 id;
  double metres;
} Near;

static double
metres_between (double lat1, double lon1, double lat2, double lon2)
{
  double x = (lon2 - lon1) * G_PI / 180.0 * cos ((lat1 + lat2) / 2 * G_PI / 180.0);
  double y = (lat2 - lat1) * G_PI / 180.0;

  return sqrt (x * x + y * y) * 6371000.0;
}

char *
ks_place_street_of (const char *address)
{
  const char *p = address;

  if (address == NULL)
    return NULL;
  while (g_ascii_isspace (*p))
    p++;
  /* A house number: digits, maybe a letter or a range ("12A", "3-5"), then a
   * space or a comma. */
  if (g_ascii_isdigit (*p))
    {
      const char *q = p;
      while (g_ascii_isalnum (*q) || *q == '-' || *q == '/')
        q++;
      if (*q == ',' || *q == ' ')
        {
          while (*q == ',' || *q == ' ')
            q++;
          if (*q != '\0')
            p = q;
        }
    }
  return *p ? g_strstrip (g_strdup (p)) : NULL;
}

void
ks_place_describe (GListModel *reports,
                   KsCache    *cache,
                   double      lat,
                   double      lon,
                   KsPlace    *out)
{
  Near nearest[N_NEAREST];
  guint n_nearest = 0;
  double ward_metres = WARD_RADIUS_M;
  guint n;

  memset (out, 0, sizeof *out);
  if (reports == NULL)
    return;
  n = g_list_model_get_n_items (reports);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KsReport) r = g_list_model_get_item (reports, i);
      double d = metres_between (lat, lon, ks_report_get_lat (r), ks_report_get_lon (r));
      const char *ward = ks_report_get_ward (r);

      if (d < ward_metres && ward != NULL && *ward != '\0')
        {
          ward_metres = d;
          g_free (out->ward);
          out->ward = g_strdup (ward);
        }
      if (d > STREET_RADIUS_M || (n_nearest == N_NEAREST && d >= nearest[n_nearest - 1].metres))
        continue;
      /* Insertion into the short sorted list of the nearest. */
      {
        guint at = MIN (n_nearest, N_NEAREST - 1);
        while (at > 0 && nearest[at - 1].metres > d)
          {
            nearest[at] = nearest[at - 1];
            at--;
          }
        nearest[at].id = ks_report_get_id (r);
        nearest[at].metres = d;
        if (n_nearest < N_NEAREST)
          n_nearest++;
      }
    }
  for (guint i = 0; cache != NULL && i < n_nearest && out->street == NULL; i++)
    {
      g_autoptr(JsonObject) obj = ks_cache_get_report_json (cache, nearest[i].id);
      JsonNode *address;

      if (obj == NULL || (address = json_object_get_member (obj, "address")) == NULL ||
          !JSON_NODE_HOLDS_VALUE (address) || json_node_get_value_type (address) != G_TYPE_STRING)
        continue;
      out->street = ks_place_street_of (json_node_get_string (address));
      out->street_metres = nearest[i].metres;
    }
}

void
ks_place_clear (KsPlace *place)
{
  g_clear_pointer (&place->street, g_free);
  g_clear_pointer (&place->ward, g_free);
}
