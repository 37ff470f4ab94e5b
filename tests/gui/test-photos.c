/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-photos.c: the photos of a report in the app. The detail shows a strip of
 * every photo; an inspector (update_report) adds one with "Add Photos…" and sees
 * it arrive, and opens a photo large without any redaction tools; Customer
 * Services (moderate_report, not update_report) have no "Add Photos…", draw a
 * rectangle over the large photo, give a reason and save: the detail then shows
 * the redacted photo, black where the rectangle was. The real window against a
 * real kerbside-server on loopback; screenshots under KS_SCREENSHOT_DIR. */
#define G_LOG_DOMAIN "test-photos"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ks-gui-test-app.h"
#include "ks-gui-test.h"
#include "ks-photo-viewer.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-report-list.h"

#define N_REPORTS 200
#define CUSTOMER_SERVICES "customer.services@demo.invalid"
#define INSPECTOR "inspector@demo.invalid"

static KsTestServer *server;
static KsWindow     *window;

static KsReportDetail *
detail_widget (void)
{
  return KS_REPORT_DETAIL (ks_window_get_report_detail (window));
}

static gboolean
detail_loaded (gpointer data)
{
  KsReport *report = ks_report_detail_get_report (detail_widget ());

  return report && ks_report_get_id (report) == *(gint64 *) data
         && ks_report_detail_get_detail (detail_widget ()) != NULL;
}

static void
open_report (gint64 id)
{
  ks_window_set_view (window, "list");
  ks_window_show_report (window, id);
  g_assert_true (ks_test_wait_for (detail_loaded, &id, 30));
  ks_test_iterate (200);
}

static GtkWidget *
thumb (guint i)
{
  g_autofree char *name = g_strdup_printf ("photo-thumb-%u", i);

  return ks_gui_find_named (ks_report_detail_get_photo_strip (detail_widget ()), name);
}

/* The strip shows want thumbnails, each with its photo loaded. */
static gboolean
strip_loaded (gpointer data)
{
  guint want = GPOINTER_TO_UINT (data);

  for (guint i = 0; i < want; i++)
    {
      GtkWidget *button = thumb (i);
      if (button == NULL || g_object_get_data (G_OBJECT (button), "texture") == NULL)
        return FALSE;
    }
  return thumb (want) == NULL;
}

static KsPhotoViewer *
find_viewer (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (KS_IS_PHOTO_VIEWER (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return KS_PHOTO_VIEWER (w);
    }
  return NULL;
}

/* The detail's photo has been drawn from its download (it loads apart from
 * the strip's thumbnails). */
static gboolean
picture_loaded (gpointer data)
{
  return gtk_picture_get_paintable (GTK_PICTURE (ks_report_detail_get_photo_picture (detail_widget ()))) != NULL;
}

static gboolean
viewer_shown (gpointer data)
{
  KsPhotoViewer *viewer = find_viewer ();

  return viewer != NULL && ks_gui_widget_drawn (ks_photo_viewer_get_redactor (viewer));
}

static KsPhotoViewer *
open_viewer (guint i)
{
  g_signal_emit_by_name (thumb (i), "clicked");
  g_assert_true (ks_test_wait_for (viewer_shown, NULL, 15));
  ks_test_iterate (200);
  return find_viewer ();
}

static gboolean
viewer_gone (gpointer data)
{
  return find_viewer () == NULL;
}

/* The pixel (x, y) of a texture, as R, G, B, A bytes. */
static void
texture_pixel (GdkTexture *texture, int x, int y, guint8 out[4])
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc ((gsize) w * h * 4);
  const guint8 *p;

  /* GDK_MEMORY_DEFAULT: B, G, R, A (premultiplied). */
  gdk_texture_download (texture, data, (gsize) w * 4);
  p = data + ((gsize) y * w + x) * 4;
  out[0] = p[2];
  out[1] = p[1];
  out[2] = p[0];
  out[3] = p[3];
}

static gboolean
has_photo (KsReport *report)
{
  return ks_report_get_has_photo (report) &&
         g_strcmp0 (ks_report_get_state (report), "confirmed") == 0;
}

static gint64
report_with_photo (void)
{
  GListModel *model = ks_report_list_get_model (KS_REPORT_LIST (ks_window_get_report_list (window)));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (model, i);
      if (has_photo (report))
        return ks_report_get_id (report);
    }
  g_assert_not_reached ();
}

/* A 64 x 48 PNG file of one colour, written with GDK. */
static GFile *
write_png (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "new-photo.png", NULL);
  g_autofree guint8 *pixels = g_malloc (64 * 48 * 4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (guint i = 0; i < 64 * 48; i++)
    {
      pixels[4 * i] = 30;
      pixels[4 * i + 1] = 160;
      pixels[4 * i + 2] = 90;
      pixels[4 * i + 3] = 255;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&pixels), 64 * 48 * 4);
  texture = gdk_memory_texture_new (64, 48, GDK_MEMORY_R8G8B8A8, bytes, 64 * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return g_file_new_for_path (path);
}

/* The detail's photo is another picture than data, black at (12, 12). */
static gboolean
main_photo_redacted (gpointer data)
{
  GdkPaintable *now = gtk_picture_get_paintable (GTK_PICTURE (
    ks_report_detail_get_photo_picture (detail_widget ())));
  guint8 px[4];

  if (now == NULL || now == data || !GDK_IS_TEXTURE (now))
    return FALSE;
  texture_pixel (GDK_TEXTURE (now), 12, 12, px);
  return px[0] == 0 && px[1] == 0 && px[2] == 0 && px[3] == 255;
}

static void
test_add_and_redact (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("kerbside-photos-XXXXXX", NULL);
  g_autoptr(GFile) file = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GdkPaintable) before = NULL;
  KsPhotoViewer *viewer;
  KsPhotoRedactor *redactor;
  GtkWidget *save, *reason;
  double x0, y0, x1, y1;
  guint8 px[4];
  gint64 id;
  guint n = 0;

  /* An inspector adds a photo: the strip shows two. */
  ks_gui_sign_in_as (window, INSPECTOR);
  id = report_with_photo ();
  open_report (id);
  g_assert_true (ks_test_wait_for (strip_loaded, GUINT_TO_POINTER (1), 30));
  g_assert_nonnull (ks_gui_find_named (ks_report_detail_get_photo_strip (detail_widget ()),
                                       "add-photos"));
  file = write_png (tmp);
  ks_report_detail_add_photo_files (detail_widget (), &file, 1);
  g_assert_true (ks_test_wait_for (strip_loaded, GUINT_TO_POINTER (2), 30));
  sql = g_strdup_printf ("SELECT count(*) FROM photos WHERE report_id = %" G_GINT64_FORMAT, id);
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, 2);
  ks_gui_save_screenshot (GTK_WIDGET (window), "photos-strip.png");

  /* Seen large, without tools to redact. */
  viewer = open_viewer (1);
  g_assert_false (gtk_widget_get_visible (ks_gui_find_named (GTK_WIDGET (viewer), "redact-save")));
  g_assert_false (gtk_widget_is_visible (ks_gui_find_named (GTK_WIDGET (viewer), "redact-reason")));
  gtk_window_close (GTK_WINDOW (viewer));
  g_assert_true (ks_test_wait_for (viewer_gone, NULL, 10));

  /* Customer Services: no "Add Photos…"; they redact the first photo. */
  ks_gui_sign_in_as (window, CUSTOMER_SERVICES);
  open_report (id);
  g_assert_true (ks_test_wait_for (strip_loaded, GUINT_TO_POINTER (2), 30));
  g_assert_null (ks_gui_find_named (ks_report_detail_get_photo_strip (detail_widget ()),
                                    "add-photos"));
  g_assert_true (ks_test_wait_for (picture_loaded, NULL, 30));
  before = g_object_ref (gtk_picture_get_paintable (GTK_PICTURE (
    ks_report_detail_get_photo_picture (detail_widget ()))));
  viewer = open_viewer (0);
  redactor = ks_photo_viewer_get_redactor (viewer);
  save = ks_gui_find_named (GTK_WIDGET (viewer), "redact-save");
  reason = ks_gui_find_named (GTK_WIDGET (viewer), "redact-reason");
  g_assert_true (gtk_widget_get_visible (save));
  g_assert_false (gtk_widget_get_sensitive (save));

  /* A drag over the top-left quarter of the shown photo, in widget coordinates,
   * becomes a rectangle in the photo's pixels. */
  g_assert_true (ks_photo_redactor_widget_to_image (
    redactor, gtk_widget_get_width (GTK_WIDGET (redactor)) / 2.0,
    gtk_widget_get_height (GTK_WIDGET (redactor)) / 2.0, &x1, &y1));
  x0 = y0 = 0;
  ks_photo_redactor_add_rect (redactor, (int) x0 + 10, (int) y0 + 10, (int) (x1 / 2),
                              (int) (y1 / 2));
  ks_photo_redactor_get_rects (redactor, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_false (gtk_widget_get_sensitive (save));  /* no reason yet */
  gtk_editable_set_text (GTK_EDITABLE (reason), "A face at the window");
  g_assert_true (gtk_widget_get_sensitive (save));
  ks_gui_wait_painted (GTK_WIDGET (viewer), 5);
  ks_gui_save_screenshot (GTK_WIDGET (viewer), "photos-redact-drawn.png");
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (ks_test_wait_for (viewer_gone, NULL, 10));

  /* The detail shows the redacted photo: black inside the rectangle. */
  g_assert_true (ks_test_wait_for (main_photo_redacted, before, 30));
  texture_pixel (GDK_TEXTURE (before), 12, 12, px);
  g_assert_true (px[0] != 0 || px[1] != 0 || px[2] != 0);
  g_assert_true (ks_test_wait_for (strip_loaded, GUINT_TO_POINTER (2), 30));
  g_assert_true (gtk_widget_has_css_class (thumb (0), "redacted-photo"));
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM moderation WHERE action = 'redact_photo' "
                         "AND report_id = %" G_GINT64_FORMAT, id);
  g_assert_cmpint (ks_test_server_query_int (server, sql), ==, 1);
  ks_gui_wait_painted (GTK_WIDGET (window), 5);
  ks_gui_save_screenshot (GTK_WIDGET (window), "photos-redacted.png");

  /* A redacted photo offers its original back (to moderators). */
  viewer = open_viewer (0);
  g_assert_true (gtk_widget_get_visible (ks_gui_find_named (GTK_WIDGET (viewer), "redact-restore")));
  gtk_window_close (GTK_WINDOW (viewer));
  g_assert_true (ks_test_wait_for (viewer_gone, NULL, 10));

  g_unlink (g_file_peek_path (file));
  g_rmdir (tmp);
}

int
main (int   argc,
      char *argv[])
{
  server = ks_gui_test_init (&argc, &argv, N_REPORTS);
  window = ks_gui_test_new_window (1366, 800);

  g_test_add_func ("/photos/add-and-redact", test_add_and_redact);

  return ks_gui_test_run ();
}
