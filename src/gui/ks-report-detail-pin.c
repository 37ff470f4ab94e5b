/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-pin.c: moving a report by dragging its pin on the detail's
 * small map. Staff who may correct reports (update_status or moderate_report)
 * press on the report's point and drag: a pin follows the pointer (the report's
 * own mark stays where it was until the move is saved); on release the Move
 * dialog opens with the new point, and Cancel takes the pin away. Saved, the
 * toast names the new ward and offers Undo. */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "ks-report-detail-private.h"

#define PIN_KEY "ks-pin"
/* How near the report's point a press takes the pin, in pixels. */
#define PIN_REACH 24.0
/* A shorter drag is a click. */
#define PIN_MIN_DRAG 4.0

typedef struct {
  KsReportDetail     *detail;   /* owns this */
  KsMapView          *map;      /* the detail's small map (owned by the detail) */
  ShumateMarkerLayer *layer;
  ShumateMarker      *marker;
  double              start_x;  /* the pin's point where the drag began (map coordinates) */
  double              start_y;
  gboolean            dragging;
} Pin;

static void
pin_free (Pin *pin)
{
  g_free (pin);
}

static Pin *
pin_of (KsReportDetail *self)
{
  return g_object_get_data (G_OBJECT (self), PIN_KEY);
}

static gboolean
may_move (Pin *pin)
{
  KsSession *session = ks_report_detail_get_session (pin->detail);

  return session != NULL && ks_report_detail_get_report (pin->detail) != NULL &&
         (ks_session_can (session, KS_PERM_UPDATE_STATUS) || ks_session_can (session, KS_PERM_MODERATE_REPORT));
}

/* The report's point in the map view's coordinates. */
static gboolean
report_point (Pin    *pin,
              double *x,
              double *y)
{
  KsReport *report = ks_report_detail_get_report (pin->detail);
  GtkWidget *map = GTK_WIDGET (ks_map_view_get_map (pin->map));
  graphene_point_t in, out;
  double mx, my;

  if (report == NULL || shumate_viewport_get_reference_map_source (ks_map_view_get_viewport (pin->map)) == NULL)
    return FALSE;
  shumate_viewport_location_to_widget_coords (ks_map_view_get_viewport (pin->map), map,
                                              ks_report_get_lat (report), ks_report_get_lon (report), &mx, &my);
  in = GRAPHENE_POINT_INIT (mx, my);
  if (!gtk_widget_compute_point (map, GTK_WIDGET (pin->map), &in, &out))
    return FALSE;
  *x = out.x;
  *y = out.y;
  return TRUE;
}

static void
point_location (Pin    *pin,
                double  x,
                double  y,
                double *lat,
                double *lon)
{
  GtkWidget *map = GTK_WIDGET (ks_map_view_get_map (pin->map));
  graphene_point_t in = GRAPHENE_POINT_INIT (x, y), out = in;

  if (!gtk_widget_compute_point (GTK_WIDGET (pin->map), map, &in, &out))
    out = in;
  shumate_viewport_widget_coords_to_location (ks_map_view_get_viewport (pin->map), map, out.x, out.y, lat, lon);
}

static void
show_pin (Pin    *pin,
          double  lat,
          double  lon)
{
  if (pin->layer == NULL)
    {
      pin->layer = shumate_marker_layer_new (ks_map_view_get_viewport (pin->map));
      shumate_map_add_layer (ks_map_view_get_map (pin->map), SHUMATE_LAYER (pin->layer));
    }
  if (pin->marker == NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name ("mark-location-symbolic");

      gtk_image_set_pixel_size (GTK_IMAGE (image), 32);
      gtk_widget_add_css_class (image, "accent");
      pin->marker = shumate_marker_new ();
      gtk_widget_set_name (GTK_WIDGET (pin->marker), "dragged-pin");
      shumate_marker_set_child (pin->marker, image);
      shumate_marker_layer_add_marker (pin->layer, pin->marker);
    }
  shumate_location_set_location (SHUMATE_LOCATION (pin->marker), lat, lon);
}

void
ks_report_detail_pin_clear (KsReportDetail *self)
{
  Pin *pin = pin_of (self);

  if (pin == NULL)
    return;
  pin->dragging = FALSE;
  if (pin->marker != NULL)
    {
      shumate_marker_layer_remove_marker (pin->layer, pin->marker);
      pin->marker = NULL;
    }
  gtk_widget_set_cursor (GTK_WIDGET (pin->map), NULL);
}

/* ---- the drag ---- */

static gboolean
pin_begin (Pin    *pin,
           double  x,
           double  y)
{
  double px, py;
  KsReport *report = ks_report_detail_get_report (pin->detail);

  if (!may_move (pin) || !report_point (pin, &px, &py) || hypot (x - px, y - py) > PIN_REACH)
    return FALSE;
  pin->dragging = TRUE;
  pin->start_x = px;
  pin->start_y = py;
  show_pin (pin, ks_report_get_lat (report), ks_report_get_lon (report));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (pin->map), "grabbing");
  return TRUE;
}

static void
pin_update (Pin    *pin,
            double  dx,
            double  dy)
{
  double lat, lon;

  if (!pin->dragging)
    return;
  point_location (pin, pin->start_x + dx, pin->start_y + dy, &lat, &lon);
  show_pin (pin, lat, lon);
}

static void
on_move_dialog_response (AdwMessageDialog *dialog,
                         const char       *response,
                         gpointer          user_data)
{
  g_autoptr(KsReportDetail) self = g_weak_ref_get (user_data);

  /* Saved, the report's own mark moves; cancelled, it never left. */
  if (self != NULL)
    ks_report_detail_pin_clear (self);
}

static void
weak_ref_free (gpointer data,
               GClosure *closure)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
pin_end (Pin    *pin,
         double  dx,
         double  dy)
{
  GtkWidget *dialog;
  GWeakRef *ref;
  double lat, lon;

  if (!pin->dragging)
    return;
  pin->dragging = FALSE;
  gtk_widget_set_cursor (GTK_WIDGET (pin->map), NULL);
  if (hypot (dx, dy) < PIN_MIN_DRAG)
    {
      ks_report_detail_pin_clear (pin->detail);
      return;
    }
  point_location (pin, pin->start_x + dx, pin->start_y + dy, &lat, &lon);
  show_pin (pin, lat, lon);
  dialog = ks_report_detail_correct_move_dialog_new (pin->detail, lat, lon);
  if (dialog == NULL)
    {
      ks_report_detail_pin_clear (pin->detail);
      return;
    }
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, pin->detail);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_move_dialog_response), ref, weak_ref_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               Pin            *pin)
{
  if (pin_begin (pin, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  else
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                Pin            *pin)
{
  pin_update (pin, dx, dy);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             Pin            *pin)
{
  pin_end (pin, dx, dy);
}

/* The hand over the pin says it can be dragged. */
static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           Pin                      *pin)
{
  double px, py;
  gboolean over = !pin->dragging && may_move (pin) && report_point (pin, &px, &py) &&
                  hypot (x - px, y - py) <= PIN_REACH;

  if (!pin->dragging)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (pin->map), over ? "grab" : NULL);
}

void
ks_report_detail_pin_attach (KsReportDetail *self,
                             KsMapView      *map)
{
  Pin *pin = g_new0 (Pin, 1);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  pin->detail = self;
  pin->map = map;
  g_object_set_data_full (G_OBJECT (self), PIN_KEY, pin, (GDestroyNotify) pin_free);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), pin);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), pin);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), pin);
  gtk_widget_add_controller (GTK_WIDGET (map), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), pin);
  gtk_widget_add_controller (GTK_WIDGET (map), motion);
}

/* ---- for tests ---- */

gboolean
ks_report_detail_drag_pin (KsReportDetail *self,
                           double          from_dx,
                           double          from_dy,
                           double          dx,
                           double          dy)
{
  Pin *pin = pin_of (self);
  double px, py;

  if (pin == NULL || !report_point (pin, &px, &py) || !pin_begin (pin, px + from_dx, py + from_dy))
    return FALSE;
  pin_update (pin, dx / 2, dy / 2);
  pin_update (pin, dx, dy);
  pin_end (pin, dx, dy);
  return TRUE;
}

gboolean
ks_report_detail_get_dragged_pin (KsReportDetail *self,
                                  double         *lat,
                                  double         *lon)
{
  Pin *pin = pin_of (self);

  if (pin == NULL || pin->marker == NULL)
    return FALSE;
  *lat = shumate_location_get_latitude (SHUMATE_LOCATION (pin->marker));
  *lon = shumate_location_get_longitude (SHUMATE_LOCATION (pin->marker));
  return TRUE;
}
