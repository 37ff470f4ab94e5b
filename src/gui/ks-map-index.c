/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-map-index.c: the map's spatial index and clusters of report positions.
 *
 * Every point gets the Morton code of its position on a fine grid anchored to
 * the world and the points are sorted by it once. The points of any cell, at
 * any level, are then one run of that order (the codes shifted by the level),
 * so one pass builds a level's clusters, and a binary search finds a cell. */
#define G_LOG_DOMAIN "ks-map-index"

#include <stdlib.h>

#include "ks-map-index.h"
#include "ks-radix-sort.h"
#include "ks-states.h"

struct _KsMapIndex
{
  KsMapPoint  *points;
  guint        n_points;
  GArray      *levels[KS_MAP_INDEX_DEPTH + 1];
  GHashTable  *by_id;       /* gint64 id -> position + 1 */
};

static guint64
spread_bits (guint32 v)
{
  guint64 x = v;

  x = (x | (x << 16)) & G_GUINT64_CONSTANT (0x0000ffff0000ffff);
  x = (x | (x << 8)) & G_GUINT64_CONSTANT (0x00ff00ff00ff00ff);
  x = (x | (x << 4)) & G_GUINT64_CONSTANT (0x0f0f0f0f0f0f0f0f);
  x = (x | (x << 2)) & G_GUINT64_CONSTANT (0x3333333333333333);
  x = (x | (x << 1)) & G_GUINT64_CONSTANT (0x5555555555555555);
  return x;
}

static guint32
compact_bits (guint64 x)
{
  x &= G_GUINT64_CONSTANT (0x5555555555555555);
  x = (x | (x >> 1)) & G_GUINT64_CONSTANT (0x3333333333333333);
  x = (x | (x >> 2)) & G_GUINT64_CONSTANT (0x0f0f0f0f0f0f0f0f);
  x = (x | (x >> 4)) & G_GUINT64_CONSTANT (0x00ff00ff00ff00ff);
  x = (x | (x >> 8)) & G_GUINT64_CONSTANT (0x0000ffff0000ffff);
  x = (x | (x >> 16)) & G_GUINT64_CONSTANT (0x00000000ffffffff);
  return (guint32) x;
}

guint64
ks_map_morton_encode (guint32 x,
                      guint32 y)
{
  return spread_bits (x) | (spread_bits (y) << 1);
}

void
ks_map_morton_decode (guint64  code,
                      guint32 *x,
                      guint32 *y)
{
  *x = compact_bits (code);
  *y = compact_bits (code >> 1);
}

static guint32
grid_coordinate (double v)
{
  const double cells = (double) (1u << KS_MAP_INDEX_DEPTH);
  double g = v * cells;

  if (!(g >= 0))   /* also catches NaN */
    return 0;
  if (g >= cells)
    return (1u << KS_MAP_INDEX_DEPTH) - 1;
  return (guint32) g;
}

static int
compare_points (const void *a,
                const void *b)
{
  const KsMapPoint *pa = a;
  const KsMapPoint *pb = b;

  if (pa->key != pb->key)
    return pa->key < pb->key ? -1 : 1;
  /* Equal positions: a stable order, so clusters pick the same reports. */
  if (pa->id != pb->id)
    return pa->id < pb->id ? -1 : 1;
  return 0;
}

#define SHORT_RUN 16

/* The points in compare_points' order (key, then id), in a new array: a
 * radix sort of their keys (ks-radix-sort.c); being stable, it leaves equal
 * keys in the points' order, and those runs are then put in id order. qsort
 * took about 20 of the 64 ms the map's index took at the start of 500,000
 * cached reports (133,000 open); the passes take 1.4 ms. (Most of what is
 * left for 500,000 points is the first write to the new array's 20 MB: page
 * faults, up to 50 ms.) */
static KsMapPoint *
sort_points (KsMapPoint *points,
             guint       n)
{
  KsRadixItem *a = g_new (KsRadixItem, n);
  KsRadixItem *room = g_new (KsRadixItem, n);
  KsRadixItem *s;
  KsMapPoint *sorted = g_new (KsMapPoint, n);

  for (guint i = 0; i < n; i++)
    {
      a[i].key = points[i].key;
      a[i].place = i;
    }
  s = ks_radix_sort (a, room, n);
  for (guint i = 0; i < n; i++)
    sorted[i] = points[s[i].place];
  /* Runs of one key (reports on one spot): by id. */
  for (guint start = 0, end; start < n; start = end)
    {
      for (end = start + 1; end < n && sorted[end].key == sorted[start].key; end++)
        ;
      if (end - start > SHORT_RUN)
        qsort (sorted + start, end - start, sizeof (KsMapPoint), compare_points);
      else
        for (guint i = start + 1; i < end; i++)
          {
            KsMapPoint p = sorted[i];
            guint j = i;

            for (; j > start && sorted[j - 1].id > p.id; j--)
              sorted[j] = sorted[j - 1];
            sorted[j] = p;
          }
    }
  g_free (a);
  g_free (room);
  return sorted;
}

KsMapIndex *
ks_map_index_new (KsMapPoint *points,
                  guint       n_points)
{
  KsMapIndex *self = g_new0 (KsMapIndex, 1);

  for (guint i = 0; i < n_points; i++)
    points[i].key = ks_map_morton_encode (grid_coordinate (points[i].x),
                                          grid_coordinate (points[i].y));
  if (n_points > 1)
    {
      KsMapPoint *sorted = sort_points (points, n_points);

      g_free (points);
      points = sorted;
    }
  self->points = points;
  self->n_points = n_points;

  return self;
}

void
ks_map_index_free (KsMapIndex *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i <= KS_MAP_INDEX_DEPTH; i++)
    g_clear_pointer (&self->levels[i], g_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_free (self->points);
  g_free (self);
}

guint
ks_map_index_get_n_points (KsMapIndex *self)
{
  return self->n_points;
}

const KsMapPoint *
ks_map_index_get_points (KsMapIndex *self)
{
  return self->points;
}

static GArray *
build_level (KsMapIndex *self,
             guint       level)
{
  guint shift = 2 * (KS_MAP_INDEX_DEPTH - level);
  guint n_states = ks_states_count ();
  g_autofree guint *urgency = g_new (guint, n_states + 1);
  GArray *clusters = g_array_new (FALSE, FALSE, sizeof (KsMapCluster));
  guint i = 0;

  for (guint s = 0; s < n_states; s++)
    urgency[s] = ks_state_urgency (ks_states_nth (s)->id);
  urgency[n_states] = G_MAXUINT;

  while (i < self->n_points)
    {
      KsMapCluster c = { 0 };
      guint64 cell = self->points[i].key >> shift;
      double sum_x = 0, sum_y = 0;
      guint best = n_states;
      guint j;

      c.cell = cell;
      c.start = i;
      c.min_x = c.max_x = self->points[i].x;
      c.min_y = c.max_y = self->points[i].y;

      for (j = i; j < self->n_points && (self->points[j].key >> shift) == cell; j++)
        {
          const KsMapPoint *p = &self->points[j];
          guint s = p->state < n_states ? p->state : n_states;

          sum_x += p->x;
          sum_y += p->y;
          c.min_x = MIN (c.min_x, p->x);
          c.max_x = MAX (c.max_x, p->x);
          c.min_y = MIN (c.min_y, p->y);
          c.max_y = MAX (c.max_y, p->y);
          /* The most urgent state (a city-wide view must show where open
           * work is, not that most reports are fixed). */
          if (urgency[s] < urgency[best] || (urgency[s] == urgency[best] && s < best))
            best = s;
        }

      c.count = j - i;
      /* Rounding must not put the mean outside its points. */
      c.x = CLAMP (sum_x / c.count, c.min_x, c.max_x);
      c.y = CLAMP (sum_y / c.count, c.min_y, c.max_y);
      c.state = best < n_states ? best : KS_MAP_STATE_UNKNOWN;

      g_array_append_val (clusters, c);
      i = j;
    }

  return clusters;
}

const KsMapCluster *
ks_map_index_get_level (KsMapIndex *self,
                        guint       level,
                        guint      *n_clusters)
{
  g_return_val_if_fail (level <= KS_MAP_INDEX_DEPTH, NULL);

  if (self->levels[level] == NULL)
    self->levels[level] = build_level (self, level);

  *n_clusters = self->levels[level]->len;
  return (const KsMapCluster *) self->levels[level]->data;
}

const KsMapCluster *
ks_map_index_lookup (KsMapIndex *self,
                     guint       level,
                     guint       cx,
                     guint       cy)
{
  const KsMapCluster *clusters;
  guint n, lo, hi;
  guint64 cell;

  clusters = ks_map_index_get_level (self, level, &n);
  cell = ks_map_morton_encode (cx, cy);
  lo = 0;
  hi = n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (clusters[mid].cell < cell)
        lo = mid + 1;
      else
        hi = mid;
    }

  if (lo < n && clusters[lo].cell == cell)
    return &clusters[lo];
  return NULL;
}

gboolean
ks_map_index_find (KsMapIndex *self,
                   gint64      id,
                   guint      *position)
{
  gpointer value;

  if (self->by_id == NULL)
    {
      self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, NULL);
      for (guint i = 0; i < self->n_points; i++)
        g_hash_table_insert (self->by_id, &self->points[i].id, GUINT_TO_POINTER (i + 1));
    }

  value = g_hash_table_lookup (self->by_id, &id);
  if (value == NULL)
    return FALSE;
  if (position != NULL)
    *position = GPOINTER_TO_UINT (value) - 1;
  return TRUE;
}
