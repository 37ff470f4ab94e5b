/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-assign.c: the detail's "who does the work" facet: Assign
 * (someone's shortlist, in a dialog) and Navigate (the report's place in the
 * person's map or routing app, as a geo: URI). */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"
#include "ks-report-detail-private.h"
#include "ks-assign-dialog.h"

#include <glib/gi18n.h>

void
ks_report_detail_open_assign (KsReportDetail *self)
{
  GtkWidget *dialog = ks_assign_dialog_new (self);

  if (dialog != NULL)
    gtk_window_present (GTK_WINDOW (dialog));
}

char *
ks_report_detail_navigate_uri (KsReportDetail *self)
{
  KsReport *report = ks_report_detail_get_report (self);
  char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];

  if (report == NULL)
    return NULL;
  /* RFC 5870: geo:LAT,LON in WGS84 degrees, a dot for the decimals whatever the
   * locale; six decimals are ~10 cm. */
  g_ascii_formatd (lat, sizeof lat, "%.6f", ks_report_get_lat (report));
  g_ascii_formatd (lon, sizeof lon, "%.6f", ks_report_get_lon (report));
  return g_strdup_printf ("geo:%s,%s", lat, lon);
}

static void
on_shown (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KsReportDetail) self = g_weak_ref_get (user_data);
  g_autoptr(GError) error = NULL;

  g_weak_ref_clear (user_data);
  g_free (user_data);
  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error) && self != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ks_report_detail_show_toast (self, _("No app on this computer opens map locations. "
                                         "Install a map app, or copy the coordinates from "
                                         "Location."));
}

void
ks_report_detail_navigate (KsReportDetail *self)
{
  g_autofree char *uri = ks_report_detail_navigate_uri (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GWeakRef *ref;

  if (uri == NULL || !GTK_IS_WINDOW (root))
    return;
  g_object_set_data_full (G_OBJECT (self), "ks-launched-uri", g_strdup (uri), g_free);
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  gtk_show_uri_full (GTK_WINDOW (root), uri, GDK_CURRENT_TIME, NULL, on_shown, ref);
}
