/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-gui-test.c: helpers for GUI tests that check what a person sees. */
#include "config.h"

#include <string.h>

#include "ks-gui-test.h"
#include "ks-map-layer-private.h"
#include "ks-map-view.h"
#include "ks-report-detail-private.h"
#include "ks-report-list-private.h"
#include "ks-test-wait.h"

static char *shot_dir;

void
ks_gui_set_screenshot_dir (const char *dir)
{
  g_free (shot_dir);
  shot_dir = g_strdup (dir);
  g_mkdir_with_parents (shot_dir, 0755);
}

gboolean
ks_gui_widget_drawn (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

/* Draws widget into a PNG named name in the screenshot directory: at the
 * widget's size, or at its paintable's own size (a window's includes its
 * shadow) drawn 1:1. Returns the file's path. */
static char *
shoot (GtkWidget  *widget,
       const char *name,
       gboolean    own_size,
       guint       settle_ms)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  char *file;
  GskRenderer *renderer;
  int w, h;

  if (shot_dir == NULL)
    ks_gui_set_screenshot_dir (g_getenv ("KS_SCREENSHOT_DIR") ? g_getenv ("KS_SCREENSHOT_DIR") : g_get_tmp_dir ());
  g_assert_true (ks_test_wait_for (ks_gui_widget_drawn, widget, 20));
  ks_test_iterate (settle_ms);
  paintable = gtk_widget_paintable_new (widget);
  w = own_size ? gdk_paintable_get_intrinsic_width (paintable) : gtk_widget_get_width (widget);
  h = own_size ? gdk_paintable_get_intrinsic_height (paintable) : gtk_widget_get_height (widget);
  /* The node is NULL until the widget has been drawn once since it changed. */
  for (guint i = 0; node == NULL && i < 50; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, w, h);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        ks_test_iterate (100);
    }
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  file = g_build_filename (shot_dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, file));
  g_test_message ("Screenshot: %s", file);
  return file;
}

void
ks_gui_save_screenshot (GtkWidget  *widget,
                        const char *name)
{
  g_free (shoot (widget, name, FALSE, 300));
}

char *
ks_gui_save_screenshot_whole (GtkWidget  *widget,
                              const char *name)
{
  return shoot (widget, name, TRUE, 500);
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

gboolean
ks_gui_wait_painted (GtkWidget *widget,
                     guint      timeout_s)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);

  gtk_widget_queue_draw (widget);
  ks_test_wait_for (is_true, &painted, timeout_s);
  g_signal_handler_disconnect (clock, id);
  return painted;
}

void
ks_gui_scroll_into_view (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  GtkAdjustment *adj;
  graphene_rect_t bounds;
  double top, page;

  if (scrolled == NULL)
    return;
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_true (gtk_widget_compute_bounds (widget, content, &bounds));
  /* Bounds within the content are in the content's own coordinates, which
   * a viewport shifts by the adjustment's value. */
  top = bounds.origin.y;
  if (GTK_IS_VIEWPORT (content))
    top += gtk_adjustment_get_value (adj);
  page = gtk_adjustment_get_page_size (adj);
  if (top < gtk_adjustment_get_value (adj) || top + bounds.size.height > gtk_adjustment_get_value (adj) + page)
    gtk_adjustment_set_value (adj, top + bounds.size.height / 2 - page / 2);
  ks_test_iterate (50);
}

char *
ks_gui_list_cell (KsWindow   *window,
                  gint64      id,
                  const char *column)
{
  return ks_report_list_get_cell_text (KS_REPORT_LIST (ks_window_get_report_list (window)), id, column);
}

const char *
ks_gui_list_header_arrow (KsWindow   *window,
                          const char *title)
{
  KsReportList *list = KS_REPORT_LIST (ks_window_get_report_list (window));
  GtkWidget *label = ks_gui_find_label_exact (GTK_WIDGET (ks_report_list_get_column_view (list)), title);
  GtkWidget *arrow;

  g_assert_nonnull (label);
  arrow = ks_gui_find_css_name (gtk_widget_get_parent (label), "sort-indicator");
  g_assert_nonnull (arrow);
  if (gtk_widget_has_css_class (arrow, "ascending"))
    return "ascending";
  if (gtk_widget_has_css_class (arrow, "descending"))
    return "descending";
  return "";
}

static const char *
layer_state (KsMapView *view,
             gint64     id)
{
  const char *state = NULL;

  if (view == NULL || !ks_map_layer_get_drawn_report (ks_map_view_get_layer (view), id, &state, NULL))
    return NULL;
  return state;
}

const char *
ks_gui_map_state (KsWindow *window,
                  gint64    id)
{
  return layer_state (KS_MAP_VIEW (ks_window_get_map_view (window)), id);
}

const char *
ks_gui_detail_map_state (KsWindow *window,
                         gint64    id)
{
  return layer_state (ks_report_detail_get_map_view (KS_REPORT_DETAIL (ks_window_get_report_detail (window))), id);
}

const char *
ks_gui_detail_field (KsWindow   *window,
                     const char *field)
{
  return ks_report_detail_get_field_text (KS_REPORT_DETAIL (ks_window_get_report_detail (window)), field);
}

char **
ks_gui_detail_timeline (KsWindow *window)
{
  return ks_report_detail_get_timeline (KS_REPORT_DETAIL (ks_window_get_report_detail (window)));
}

gboolean
ks_gui_wait_list_cell (KsWindow   *window,
                       gint64      id,
                       const char *column,
                       const char *want,
                       guint       timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  g_autofree char *shown = NULL;

  do
    {
      g_free (shown);
      shown = ks_gui_list_cell (window, id, column);
      if (shown && strstr (shown, want))
        return TRUE;
      ks_test_iterate (50);
    }
  while (g_get_monotonic_time () < end);
  g_test_message ("list cell %s of report %" G_GINT64_FORMAT " shows “%s”, not “%s”",
                  column, id, shown ? shown : "(not on screen)", want);
  return FALSE;
}

gboolean
ks_gui_wait_map_state (KsWindow   *window,
                       gint64      id,
                       const char *state,
                       guint       timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  do
    {
      if (g_strcmp0 (ks_gui_map_state (window, id), state) == 0)
        return TRUE;
      ks_test_iterate (50);
    }
  while (g_get_monotonic_time () < end);
  g_test_message ("the map draws report %" G_GINT64_FORMAT " as “%s”, not “%s”",
                  id, ks_gui_map_state (window, id), state);
  return FALSE;
}

gboolean
ks_gui_wait_detail_field (KsWindow   *window,
                          const char *field,
                          const char *want,
                          guint       timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  do
    {
      if (g_strcmp0 (ks_gui_detail_field (window, field), want) == 0)
        return TRUE;
      ks_test_iterate (50);
    }
  while (g_get_monotonic_time () < end);
  g_test_message ("the detail's %s shows “%s”, not “%s”", field, ks_gui_detail_field (window, field), want);
  return FALSE;
}

AdwMessageDialog *
ks_gui_find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        found = ADW_MESSAGE_DIALOG (w);
    }
  return found;
}

static gboolean
dialog_shown (gpointer data)
{
  return ks_gui_find_dialog () != NULL;
}

AdwMessageDialog *
ks_gui_wait_dialog (guint timeout_s)
{
  ks_test_wait_for (dialog_shown, NULL, timeout_s);
  return ks_gui_find_dialog ();
}

GtkWidget *
ks_gui_find (GtkWidget         *root,
             KsGuiWidgetMatch   match,
             gconstpointer      data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ks_gui_find (c, match, data);
      if (found)
        return found;
    }
  return NULL;
}

typedef struct {
  KsGuiBy       by;
  gconstpointer data;
} Query;

/* The text a label or an inscription (the report list's cells) shows, or
 * NULL for any other widget. */
static const char *
shown_text (GtkWidget *widget)
{
  const char *text;

  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (!GTK_IS_INSCRIPTION (widget))
    return NULL;
  text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return text ? text : "";
}

static gboolean
query_matches (GtkWidget     *widget,
               gconstpointer  data)
{
  const Query *q = data;
  const char *label = shown_text (widget);

  switch (q->by)
    {
    case KS_GUI_BY_NAME:           return g_strcmp0 (gtk_widget_get_name (widget), q->data) == 0;
    case KS_GUI_BY_CSS_NAME:       return g_strcmp0 (gtk_widget_get_css_name (widget), q->data) == 0;
    case KS_GUI_BY_TYPE:           return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (q->data));
    case KS_GUI_BY_LABEL_CONTAINS: return label && strstr (label, q->data);
    case KS_GUI_BY_LABEL_IS:       return label && g_str_equal (label, q->data);
    case KS_GUI_BY_LABEL_PREFIX:   return label && g_str_has_prefix (label, q->data);
    default:                       g_assert_not_reached ();
    }
}

GtkWidget *
ks_gui_find_by (GtkWidget     *root,
                KsGuiBy        by,
                gconstpointer  data)
{
  Query q = { by, data };

  return ks_gui_find (root, query_matches, &q);
}

static void
collect_text (GtkWidget *root,
              GString   *out)
{
  const char *text = shown_text (root);

  if (text != NULL && gtk_widget_get_visible (root) && *text)
    g_string_append_printf (out, "%s%s", out->len ? "\n" : "", text);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    collect_text (c, out);
}

GtkWindow *
ks_gui_find_transient (GtkWindow *parent,
                       GType      type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_window_get_transient_for (w) == parent)
        return w;
    }
  return NULL;
}

char *
ks_gui_all_text (GtkWidget *root)
{
  GString *out = g_string_new (NULL);

  collect_text (root, out);
  return g_string_free (out, FALSE);
}

char **
ks_gui_dropdown_labels (GtkDropDown *dropdown)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; model && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (GTK_IS_STRING_OBJECT (item))
        g_strv_builder_add (builder, gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
      else
        g_strv_builder_add (builder, "");
    }
  return g_strv_builder_end (builder);
}

static gboolean
visible_toast (GtkWidget     *widget,
               gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_css_name (widget), "toast") == 0 && gtk_widget_get_visible (widget);
}

static gboolean
visible_label (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget);
}

const char *
ks_gui_toast_text (KsWindow *window)
{
  GtkWidget *toast = ks_gui_find (GTK_WIDGET (window), visible_toast, NULL);
  GtkWidget *label = toast ? ks_gui_find (toast, visible_label, NULL) : NULL;

  return label ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static GtkWidget *
find_button_with_label (GtkWidget  *root,
                        const char *label)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_visible (root))
    {
      const char *text = gtk_button_get_label (GTK_BUTTON (root));
      g_autofree char *plain = NULL;

      if (text == NULL && GTK_IS_LABEL (gtk_button_get_child (GTK_BUTTON (root))))
        text = gtk_label_get_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (root))));
      if (text != NULL)
        {
          GString *s = g_string_new (NULL);
          for (const char *p = text; *p; p++)
            if (*p != '_')
              g_string_append_c (s, *p);
          plain = g_string_free (s, FALSE);
          if (g_strcmp0 (plain, label) == 0)
            return root;
        }
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button_with_label (c, label);
      if (found)
        return found;
    }
  return NULL;
}

gboolean
ks_gui_click_toast_button (KsWindow   *window,
                           const char *label)
{
  GtkWidget *toast = ks_gui_find (GTK_WIDGET (window), visible_toast, NULL);
  GtkWidget *button = toast ? find_button_with_label (toast, label) : NULL;

  if (button == NULL)
    return FALSE;
  g_signal_emit_by_name (button, "clicked");
  return TRUE;
}

gboolean
ks_gui_click_button (GtkWidget  *root,
                     const char *label)
{
  GtkWidget *button = find_button_with_label (root, label);

  if (button == NULL)
    return FALSE;
  g_signal_emit_by_name (button, "clicked");
  return TRUE;
}

void
ks_gui_respond (AdwMessageDialog *dialog,
                const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}
