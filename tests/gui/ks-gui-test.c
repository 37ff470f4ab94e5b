/* ks-gui-test.c: helpers for GUI tests that check what a person sees. */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "ks-gui-test.h"
#include "ks-map-layer-private.h"
#include "ks-map-view.h"
#include "ks-report-detail-private.h"
#include "ks-report-list-private.h"
#include "ks-test-server.h"

static char *shot_dir;

void
ks_gui_iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

void
ks_gui_set_screenshot_dir (const char *dir)
{
  g_free (shot_dir);
  shot_dir = g_strdup (dir);
  g_mkdir_with_parents (shot_dir, 0755);
}

static gboolean
widget_drawn (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

void
ks_gui_save_screenshot (GtkWidget  *widget,
                        const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  GskRenderer *renderer;
  int w, h;

  if (shot_dir == NULL)
    ks_gui_set_screenshot_dir (g_getenv ("KS_SCREENSHOT_DIR") ? g_getenv ("KS_SCREENSHOT_DIR") : g_get_tmp_dir ());
  g_assert_true (ks_test_wait_for (widget_drawn, widget, 20));
  ks_gui_iterate (300);
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  /* The node is NULL until the widget has been drawn once since it changed. */
  for (guint i = 0; node == NULL && i < 50; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, w, h);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        ks_gui_iterate (100);
    }
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  file = g_build_filename (shot_dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, file));
  g_test_message ("Screenshot: %s", file);
}

char *
ks_gui_list_cell (KsWindow   *window,
                  gint64      id,
                  const char *column)
{
  return ks_report_list_get_cell_text (KS_REPORT_LIST (ks_window_get_report_list (window)), id, column);
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
      ks_gui_iterate (50);
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
      ks_gui_iterate (50);
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
      ks_gui_iterate (50);
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
ks_gui_find_named (GtkWidget  *root,
                   const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ks_gui_find_named (c, name);
      if (found)
        return found;
    }
  return NULL;
}

GtkWidget *
ks_gui_find_label (GtkWidget  *root,
                   const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ks_gui_find_label (c, text);
      if (found)
        return found;
    }
  return NULL;
}

static void
collect_text (GtkWidget *root,
              GString   *out)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root) && *gtk_label_get_text (GTK_LABEL (root)))
    g_string_append_printf (out, "%s%s", out->len ? "\n" : "", gtk_label_get_text (GTK_LABEL (root)));
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    collect_text (c, out);
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

static GtkWidget *
find_css_name (GtkWidget  *root,
               const char *css_name)
{
  if (g_strcmp0 (gtk_widget_get_css_name (root), css_name) == 0 && gtk_widget_get_visible (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_css_name (c, css_name);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
first_label (GtkWidget *root)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = first_label (c);
      if (found)
        return found;
    }
  return NULL;
}

const char *
ks_gui_toast_text (KsWindow *window)
{
  GtkWidget *toast = find_css_name (GTK_WIDGET (window), "toast");
  GtkWidget *label = toast ? first_label (toast) : NULL;

  return label ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

guint
ks_gui_api_status (const char  *base_url,
                   const char  *method,
                   const char  *path,
                   const char  *token,
                   const char  *body,
                   JsonObject **answer)
{
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (base_url, path, NULL);

  msg = soup_message_new (method, url);
  if (token)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  bytes = soup_session_send_and_read (soup, msg, NULL, &error);
  g_assert_no_error (error);
  if (answer)
    {
      *answer = NULL;
      if (g_bytes_get_size (bytes) > 0
          && json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        *answer = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }
  return soup_message_get_status (msg);
}

JsonObject *
ks_gui_api (const char *base_url,
            const char *method,
            const char *path,
            const char *token,
            const char *body)
{
  JsonObject *answer = NULL;
  guint status = ks_gui_api_status (base_url, method, path, token, body, &answer);

  if (status >= 300)
    g_test_message ("%s %s: %u", method, path, status);
  g_assert_cmpuint (status, <, 300);
  g_assert_nonnull (answer);
  return answer;
}

char *
ks_gui_api_login (const char *base_url,
                  const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email, KS_TEST_PASSWORD);
  g_autoptr(JsonObject) answer = ks_gui_api (base_url, "POST", "/api/v1/auth/login", NULL, body);

  return g_strdup (json_object_get_string_member (answer, "token"));
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
  GtkWidget *toast = find_css_name (GTK_WIDGET (window), "toast");
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
