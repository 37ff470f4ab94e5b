/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-timeline-chart.c: bars of reports created and fixed per day. Everything is
 * drawn with colour rectangles and text layouts in snapshot: a few hundred nodes
 * at most, so it redraws cheaply at any size. */
#define G_LOG_DOMAIN "ks-timeline-chart"

#include "config.h"
#include "ks-number-format.h"
#include "ks-timeline-chart.h"

#include <glib/gi18n.h>
#include <math.h>

#define MARGIN_LEFT   48.0
#define MARGIN_RIGHT  12.0
#define MARGIN_TOP    28.0
#define MARGIN_BOTTOM 28.0

typedef struct {
  char   *date;      /* YYYY-MM-DD */
  gint64  created;
  gint64  fixed;
} Day;

struct _KsTimelineChart
{
  GtkWidget  parent_instance;

  GArray    *days;   /* of Day */
};

G_DEFINE_FINAL_TYPE (KsTimelineChart, ks_timeline_chart, GTK_TYPE_WIDGET)

static const GdkRGBA created_colour = { 0.208, 0.518, 0.894, 1.0 };  /* blue */
static const GdkRGBA fixed_colour = { 0.180, 0.761, 0.494, 1.0 };    /* green */

static void
day_clear (gpointer data)
{
  Day *day = data;

  g_free (day->date);
}

/* A round step for the value axis so that there are at most about 5 lines. */
static gint64
nice_step (gint64 max)
{
  gint64 step = 1;

  while (step * 5 < max)
    {
      if (step * 2 * 5 >= max)
        return step * 2;
      if (step * 5 * 5 >= max)
        return step * 5;
      step *= 10;
    }
  return step;
}

/* "2026-11-03" -> "3 Nov" */
static char *
short_date (const char *date)
{
  int y, m, d;
  g_autoptr(GDateTime) dt = NULL;

  if (date == NULL || sscanf (date, "%d-%d-%d", &y, &m, &d) != 3)
    return g_strdup (date ? date : "");
  dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (dt == NULL)
    return g_strdup (date);
  return g_date_time_format (dt, "%-d %b");
}

static void
append_text (KsTimelineChart *self,
             GtkSnapshot     *snapshot,
             const char      *text,
             double           x,
             double           y,
             double           align,   /* 0 left, 0.5 centre, 1 right of x */
             const GdkRGBA   *colour)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) (x - w * align), (float) (y - h / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
}

static void
ks_timeline_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  KsTimelineChart *self = KS_TIMELINE_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double plot_w = width - MARGIN_LEFT - MARGIN_RIGHT;
  double plot_h = height - MARGIN_TOP - MARGIN_BOTTOM;
  GdkRGBA fg, grid;
  gint64 max = 0, step, top;
  guint n = self->days->len;
  double slot, bar_w;

  if (plot_w < 20 || plot_h < 20)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  grid = fg;
  grid.alpha = 0.15f;

  for (guint i = 0; i < n; i++)
    {
      Day *day = &g_array_index (self->days, Day, i);
      max = MAX (max, MAX (day->created, day->fixed));
    }
  step = nice_step (MAX (max, 1));
  top = MAX (step, ((max + step - 1) / step) * step);

  /* Value axis: grid lines and their numbers. */
  for (gint64 v = 0; v <= top; v += step)
    {
      double y = MARGIN_TOP + plot_h - plot_h * v / (double) top;
      g_autofree char *text = ks_format_count (v);

      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT ((float) MARGIN_LEFT, (float) y, (float) plot_w, 1));
      append_text (self, snapshot, text, MARGIN_LEFT - 6, y, 1.0, &fg);
    }

  /* Legend. */
  {
    double x = width - MARGIN_RIGHT;
    g_autoptr(PangoLayout) fixed_l = gtk_widget_create_pango_layout (widget, _("Fixed"));
    g_autoptr(PangoLayout) created_l = gtk_widget_create_pango_layout (widget, _("Created"));
    int fw, cw, h;

    pango_layout_get_pixel_size (fixed_l, &fw, &h);
    pango_layout_get_pixel_size (created_l, &cw, &h);
    x -= fw;
    append_text (self, snapshot, _("Fixed"), x, MARGIN_TOP / 2, 0.0, &fg);
    x -= 16;
    gtk_snapshot_append_color (snapshot, &fixed_colour,
                               &GRAPHENE_RECT_INIT ((float) x, (float) (MARGIN_TOP / 2 - 5), 10, 10));
    x -= 16 + cw;
    append_text (self, snapshot, _("Created"), x, MARGIN_TOP / 2, 0.0, &fg);
    x -= 16;
    gtk_snapshot_append_color (snapshot, &created_colour,
                               &GRAPHENE_RECT_INIT ((float) x, (float) (MARGIN_TOP / 2 - 5), 10, 10));
  }

  if (n == 0)
    {
      append_text (self, snapshot, _("No days to show"), MARGIN_LEFT + plot_w / 2,
                   MARGIN_TOP + plot_h / 2, 0.5, &fg);
      return;
    }

  slot = plot_w / n;
  bar_w = MAX (1.0, (slot - 2) / 2.0);

  for (guint i = 0; i < n; i++)
    {
      Day *day = &g_array_index (self->days, Day, i);
      double x = MARGIN_LEFT + i * slot + (slot - 2 * bar_w) / 2;
      double ch = plot_h * day->created / (double) top;
      double fh = plot_h * day->fixed / (double) top;
      double base = MARGIN_TOP + plot_h;

      if (ch > 0)
        gtk_snapshot_append_color (snapshot, &created_colour,
                                   &GRAPHENE_RECT_INIT ((float) x, (float) (base - ch), (float) bar_w, (float) ch));
      if (fh > 0)
        gtk_snapshot_append_color (snapshot, &fixed_colour,
                                   &GRAPHENE_RECT_INIT ((float) (x + bar_w), (float) (base - fh), (float) bar_w, (float) fh));
    }

  /* Date axis: the baseline and a date every few days, today always. */
  {
    guint every = MAX (1u, (guint) ceil (n / MAX (1.0, plot_w / 70.0)));

    gtk_snapshot_append_color (snapshot, &fg,
                               &GRAPHENE_RECT_INIT ((float) MARGIN_LEFT, (float) (MARGIN_TOP + plot_h),
                                                    (float) plot_w, 1));
    for (guint i = 0; i < n; i++)
      {
        Day *day = &g_array_index (self->days, Day, i);
        guint from_end = n - 1 - i;
        g_autofree char *label = NULL;

        if (from_end % every != 0)
          continue;
        if (from_end != 0 && from_end < every / 2 + 1 && every > 1)
          continue;
        label = short_date (day->date);
        append_text (self, snapshot, label, MARGIN_LEFT + (i + 0.5) * slot,
                     MARGIN_TOP + plot_h + MARGIN_BOTTOM / 2 + 2,
                     i == n - 1 ? 0.8 : 0.5, &fg);
      }
  }
}

static void
ks_timeline_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 720;
    }
  else
    {
      *minimum = 180;
      *natural = 240;
    }
}

static void
ks_timeline_chart_finalize (GObject *object)
{
  KsTimelineChart *self = KS_TIMELINE_CHART (object);

  g_array_unref (self->days);

  G_OBJECT_CLASS (ks_timeline_chart_parent_class)->finalize (object);
}

static void
ks_timeline_chart_class_init (KsTimelineChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ks_timeline_chart_finalize;
  widget_class->snapshot = ks_timeline_chart_snapshot;
  widget_class->measure = ks_timeline_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "timeline-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ks_timeline_chart_init (KsTimelineChart *self)
{
  self->days = g_array_new (FALSE, TRUE, sizeof (Day));
  g_array_set_clear_func (self->days, day_clear);
}

GtkWidget *
ks_timeline_chart_new (void)
{
  return g_object_new (KS_TYPE_TIMELINE_CHART, NULL);
}

void
ks_timeline_chart_set_timeline (KsTimelineChart *self,
                                JsonArray       *timeline)
{
  g_return_if_fail (KS_IS_TIMELINE_CHART (self));

  g_array_set_size (self->days, 0);
  for (guint i = 0; timeline && i < json_array_get_length (timeline); i++)
    {
      JsonNode *node = json_array_get_element (timeline, i);
      JsonObject *o;
      Day day;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      o = json_node_get_object (node);
      day.date = g_strdup (json_object_get_string_member_with_default (o, "date", ""));
      day.created = json_object_get_int_member_with_default (o, "created", 0);
      day.fixed = json_object_get_int_member_with_default (o, "fixed", 0);
      g_array_append_val (self->days, day);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
ks_timeline_chart_get_n_days (KsTimelineChart *self)
{
  g_return_val_if_fail (KS_IS_TIMELINE_CHART (self), 0);
  return self->days->len;
}

gint64
ks_timeline_chart_get_total (KsTimelineChart *self,
                             gboolean         fixed)
{
  gint64 total = 0;

  g_return_val_if_fail (KS_IS_TIMELINE_CHART (self), 0);
  for (guint i = 0; i < self->days->len; i++)
    {
      Day *day = &g_array_index (self->days, Day, i);
      total += fixed ? day->fixed : day->created;
    }
  return total;
}
