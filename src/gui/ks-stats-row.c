/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-stats-row.c: one row of the dashboard's statistics. */
#define G_LOG_DOMAIN "ks-stats-row"

#include "config.h"
#include "ks-stats-row.h"

struct _KsStatsRow
{
  GObject  parent_instance;

  char    *label;
  gint64   count;
  gint64   open;
  gint64   fixed;
  gint64   closed;
};

G_DEFINE_FINAL_TYPE (KsStatsRow, ks_stats_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_COUNT,
  PROP_OPEN,
  PROP_FIXED,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ks_stats_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KsStatsRow *self = KS_STATS_ROW (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_COUNT:
      g_value_set_int64 (value, self->count);
      break;
    case PROP_OPEN:
      g_value_set_int64 (value, self->open);
      break;
    case PROP_FIXED:
      g_value_set_int64 (value, self->fixed);
      break;
    case PROP_CLOSED:
      g_value_set_int64 (value, self->closed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ks_stats_row_finalize (GObject *object)
{
  KsStatsRow *self = KS_STATS_ROW (object);

  g_free (self->label);

  G_OBJECT_CLASS (ks_stats_row_parent_class)->finalize (object);
}

static void
ks_stats_row_class_init (KsStatsRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ks_stats_row_get_property;
  object_class->finalize = ks_stats_row_finalize;

  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNT] = g_param_spec_int64 ("count", NULL, NULL, 0, G_MAXINT64, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPEN] = g_param_spec_int64 ("open", NULL, NULL, 0, G_MAXINT64, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIXED] = g_param_spec_int64 ("fixed", NULL, NULL, 0, G_MAXINT64, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOSED] = g_param_spec_int64 ("closed", NULL, NULL, 0, G_MAXINT64, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ks_stats_row_init (KsStatsRow *self)
{
}

KsStatsRow *
ks_stats_row_new (const char *label,
                  gint64      count,
                  gint64      open,
                  gint64      fixed,
                  gint64      closed)
{
  KsStatsRow *self = g_object_new (KS_TYPE_STATS_ROW, NULL);

  self->label = g_strdup (label ? label : "");
  self->count = MAX (count, 0);
  self->open = MAX (open, 0);
  self->fixed = MAX (fixed, 0);
  self->closed = MAX (closed, 0);
  return self;
}

const char *
ks_stats_row_get_label (KsStatsRow *self)
{
  g_return_val_if_fail (KS_IS_STATS_ROW (self), NULL);
  return self->label;
}

gint64
ks_stats_row_get_count (KsStatsRow *self)
{
  g_return_val_if_fail (KS_IS_STATS_ROW (self), 0);
  return self->count;
}

gint64
ks_stats_row_get_open (KsStatsRow *self)
{
  g_return_val_if_fail (KS_IS_STATS_ROW (self), 0);
  return self->open;
}

gint64
ks_stats_row_get_fixed (KsStatsRow *self)
{
  g_return_val_if_fail (KS_IS_STATS_ROW (self), 0);
  return self->fixed;
}

gint64
ks_stats_row_get_closed (KsStatsRow *self)
{
  g_return_val_if_fail (KS_IS_STATS_ROW (self), 0);
  return self->closed;
}
