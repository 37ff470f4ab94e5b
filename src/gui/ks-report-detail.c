/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail.c: one report in full (description, photo, location,
 * reporter, updates, moderation history) with the actions the signed-in
 * user's permissions allow, and nothing else. Over 1,000 lines: its
 * timeline (updates and moderation rows) is the next facet to move out. */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"
#include "ks-report-detail.h"
#include "ks-report-detail-private.h"
#include "ks-date-format.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ks-map-view.h"
#include "ks-photo-loader.h"
#include "ks-report-action-dialog.h"
#include "ks-states.h"

struct _KsReportDetail
{
  GtkWidget     parent_instance;

  KsSession    *session;
  KsReport     *report;
  JsonObject   *detail;
  GCancellable *cancellable;
  GListStore   *map_model;
  GtkWidget    *map_view;
  KsPhotoLoader *photo_loader;
  gulong        notify_id;

  GtkWidget    *stack;
  GtkWidget    *scroller;
  GtkWidget    *title_label;
  GtkWidget    *state_label;
  GtkWidget    *id_label;
  GtkWidget    *ack_label;
  GtkWidget    *actions_box;
  GtkWidget    *detail_label;
  GtkWidget    *photo_picture;
  GtkWidget    *photo_status_label;
  GtkWidget    *photo_strip;
  GtkWidget    *map_bin;
  GtkWidget    *category_row;
  GtkWidget    *priority_row;
  GtkWidget    *response_row;
  GtkWidget    *location_row;
  GtkWidget    *grid_row;
  GtkWidget    *created_row;
  GtkWidget    *updated_row;
  GtkWidget    *shortlist_row;
  GtkWidget    *reporter_group;
  GtkWidget    *reporter_name_row;
  GtkWidget    *reporter_email_row;
  GtkWidget    *reporter_phone_row;
  GtkWidget    *status_label;
  GtkWidget    *updates_group;
  GtkWidget    *updates_list;
  GtkWidget    *moderation_group;
  GtkWidget    *moderation_list;
  GtkWidget    *emails_group;
  GtkWidget    *emails_list;
  GtkWidget    *sendings_group;
  GtkWidget    *sendings_list;

  GHashTable   *buttons;   /* action name -> GtkButton (borrowed) */
  KsDetailDuplicates *duplicates;
  char         *css_state_class;
  gint64        shown_id;  /* the report's id when last shown (a placeholder's changes) */
};

G_DEFINE_FINAL_TYPE (KsReportDetail, ks_report_detail, GTK_TYPE_WIDGET)

enum {
  TOAST,
  LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void fetch_detail (KsReportDetail *self);
static void refresh (KsReportDetail *self);

/* The actions, in the order they are shown, and the permission each needs. */
static const struct {
  const char   *name;
  KsPermission  perm;
} action_table[] = {
  { "acknowledge",  KS_PERM_ACKNOWLEDGE_REPORT },
  { "update",       KS_PERM_UPDATE_REPORT },
  { "state",        KS_PERM_UPDATE_STATUS },
  { "priority",     KS_PERM_PRIORITISE_REPORT },
  { "request-info", KS_PERM_REQUEST_MORE_INFO },
  { "shortlist",    KS_PERM_SHORTLIST },
  { "assign",       KS_PERM_SHORTLIST },
  { "navigate",     KS_PERM_VIEW_REPORT },
  { "moderate",     KS_PERM_MODERATE_REPORT },
  { "hide",         KS_PERM_HIDE_REPORT },
  { "duplicate",    KS_PERM_UPDATE_STATUS },
};

static void
toast (KsReportDetail *self,
       const char     *message)
{
  g_signal_emit (self, signals[TOAST], 0, message);
}

void
ks_report_detail_show_toast (KsReportDetail *self,
                             const char     *message)
{
  toast (self, message);
}

/* The list's style (ks-date-format.h): one way of writing dates in the app. */
static char *
format_time (gint64 t)
{
  return ks_date_format (t);
}

static gint64
parse_iso (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  return dt ? g_date_time_to_unix (dt) : 0;
}

static const char *
json_string (JsonObject *obj,
             const char *member)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, member)) == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static char *
json_user_name (JsonObject *obj,
                const char *member)
{
  JsonNode *node;

  if (obj == NULL || (node = json_object_get_member (obj, member)) == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *user = json_node_get_object (node);
      const char *name = json_string (user, "name");
      return g_strdup (name ? name : json_string (user, "email"));
    }
  return NULL;
}

/* Action results */

struct _KsReportActionData {
  GWeakRef  detail;
  char     *done_message;
  char     *ward_format;    /* the message once the server answered, naming the ward */
  gint64    report_id;
  gboolean  offer_unhide;   /* the toast offers Undo (the action hid the report) */
  KsReportUndoFunc undo;    /* or this Undo */
  gpointer         undo_data;
  GDestroyNotify   undo_free;
};
typedef KsReportActionData ActionData;

KsReportActionData *
ks_report_detail_action_data (KsReportDetail *self,
                              const char     *done_message)
{
  ActionData *data = g_new0 (ActionData, 1);

  g_weak_ref_init (&data->detail, self);
  data->done_message = g_strdup (done_message);
  data->report_id = self->report ? ks_report_get_id (self->report) : 0;
  return data;
}

static void
action_data_free (ActionData *data)
{
  g_weak_ref_clear (&data->detail);
  g_free (data->done_message);
  g_free (data->ward_format);
  if (data->undo_free != NULL)
    data->undo_free (data->undo_data);
  g_free (data);
}

void
ks_report_action_data_name_ward (KsReportActionData *data,
                                 const char         *format)
{
  g_free (data->ward_format);
  data->ward_format = g_strdup (format);
}

void
ks_report_action_data_offer_undo (KsReportActionData *data,
                                  KsReportUndoFunc    undo,
                                  gpointer            undo_data,
                                  GDestroyNotify      undo_free)
{
  data->undo = undo;
  data->undo_data = undo_data;
  data->undo_free = undo_free;
}

void
ks_report_action_data_offer_unhide (KsReportActionData *data,
                                    gint64              report_id)
{
  data->report_id = report_id;
  data->offer_unhide = TRUE;
}

/* Publishes the report again (Unhide, or Undo on the Hide toast). */
static void
unhide_report (KsReportDetail *self,
               gint64          report_id)
{
  g_autofree char *message = NULL;

  if (self->session == NULL || !ks_session_can (self->session, KS_PERM_HIDE_REPORT))
    return;
  message = g_strdup_printf (_("Report %" G_GINT64_FORMAT " is public again."), report_id);
  ks_session_unhide_async (self->session, report_id, NULL,
                           ks_report_detail_action_done, ks_report_detail_action_data (self, message));
}

static void
undo_hide (KsReportDetail *self,
           gpointer        data)
{
  unhide_report (self, *(const gint64 *) data);
}

/* What the toast's Undo runs, on the detail if it is still there. */
typedef struct {
  GWeakRef         detail;
  KsReportUndoFunc func;
  gpointer         data;
  GDestroyNotify   free;
} UndoClosure;

static void
undo_closure_free (gpointer data,
                   GClosure *closure)
{
  UndoClosure *u = data;

  g_weak_ref_clear (&u->detail);
  if (u->free != NULL)
    u->free (u->data);
  g_free (u);
}

static void
on_toast_undo (AdwToast    *toast,
               UndoClosure *u)
{
  g_autoptr(KsReportDetail) self = g_weak_ref_get (&u->detail);

  if (self != NULL)
    u->func (self, u->data);
}

/* A toast with Undo (which runs func on the detail, and frees data), when the
 * detail sits in a toast overlay; else a plain one. */
static void
toast_with_undo (KsReportDetail   *self,
                 const char       *message,
                 KsReportUndoFunc  func,
                 gpointer          data,
                 GDestroyNotify    free_data)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = NULL;
  UndoClosure *u;
  AdwToast *undo;

  if (overlay == NULL)
    {
      toast (self, message);
      if (free_data != NULL)
        free_data (data);
      return;
    }
  /* Toast titles are markup. */
  escaped = g_markup_escape_text (message, -1);
  undo = adw_toast_new (escaped);
  adw_toast_set_button_label (undo, _("_Undo"));
  adw_toast_set_timeout (undo, 8);
  adw_toast_set_priority (undo, ADW_TOAST_PRIORITY_HIGH);
  u = g_new0 (UndoClosure, 1);
  g_weak_ref_init (&u->detail, self);
  u->func = func;
  u->data = data;
  u->free = free_data;
  g_signal_connect_data (undo, "button-clicked", G_CALLBACK (on_toast_undo), u, undo_closure_free, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), undo);
}

void
ks_report_detail_action_done (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  ActionData *data = user_data;
  g_autoptr(KsReportDetail) self = g_weak_ref_get (&data->detail);
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;
  gboolean ok;

  ok = ks_session_action_finish (KS_SESSION (source), result, &queued, &error);
  if (self != NULL)
    {
      const char *message = queued
        ? _("Saved on this computer. It will be sent when the server can be reached.")
        : data->done_message;
      g_autofree char *with_ward = NULL;
      KsReport *report = ok && !queued && data->ward_format && self->session
        ? ks_session_lookup_report (self->session, data->report_id) : NULL;

      /* The server's answer is in the cache by now: its ward is the new one. */
      if (report != NULL && ks_report_get_ward (report) && *ks_report_get_ward (report))
        message = with_ward = g_strdup_printf (data->ward_format, ks_report_get_ward (report));
      if (!ok)
        toast (self, error->message);
      else if (data->offer_unhide)
        toast_with_undo (self, message, undo_hide,
                         g_memdup2 (&data->report_id, sizeof data->report_id), g_free);
      else if (data->undo != NULL)
        {
          toast_with_undo (self, message, data->undo, data->undo_data, data->undo_free);
          data->undo_free = NULL;
        }
      else
        toast (self, message);

      if (self->report && ks_report_get_id (self->report) == data->report_id)
        {
          refresh (self);
          if (ok && !queued)
            fetch_detail (self);
        }
    }
  action_data_free (data);
}

/* Acknowledge */

gboolean
ks_report_detail_acknowledge (KsReportDetail *self)
{
  g_autofree char *message = NULL;

  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), FALSE);

  if (self->session == NULL || self->report == NULL
      || !ks_session_can (self->session, KS_PERM_ACKNOWLEDGE_REPORT))
    return FALSE;

  if (ks_report_get_acknowledged (self->report) != 0)
    {
      toast (self, _("This report is already acknowledged."));
      return FALSE;
    }

  message = g_strdup_printf (_("Report %" G_GINT64_FORMAT " acknowledged."), ks_report_get_id (self->report));
  ks_session_acknowledge_async (self->session, ks_report_get_id (self->report), NULL, NULL,
                                ks_report_detail_action_done, ks_report_detail_action_data (self, message));
  return TRUE;
}

/* Shortlist */

static void
toggle_shortlist (KsReportDetail *self)
{
  gint64 holder = ks_report_get_shortlist_user (self->report);
  gint64 me = ks_session_get_user_id (self->session);
  gboolean add = holder != me;
  g_autofree char *message = NULL;

  message = add
    ? g_strdup_printf (_("Report %" G_GINT64_FORMAT " added to your shortlist."), ks_report_get_id (self->report))
    : g_strdup_printf (_("Report %" G_GINT64_FORMAT " removed from your shortlist."), ks_report_get_id (self->report));
  ks_session_set_shortlisted_async (self->session, ks_report_get_id (self->report), add, NULL,
                                    ks_report_detail_action_done, ks_report_detail_action_data (self, message));
}

static void
on_action_clicked (GtkButton      *button,
                   KsReportDetail *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "ks-action");
  GtkWidget *dialog;

  if (self->session == NULL || self->report == NULL)
    return;

  if (g_str_equal (name, "acknowledge"))
    ks_report_detail_acknowledge (self);
  else if (g_str_equal (name, "shortlist"))
    toggle_shortlist (self);
  else if (g_str_equal (name, "assign"))
    ks_report_detail_open_assign (self);
  else if (g_str_equal (name, "navigate"))
    ks_report_detail_navigate (self);
  else if (g_str_equal (name, "hide") && g_strcmp0 (ks_report_get_state (self->report), "hidden") == 0)
    unhide_report (self, ks_report_get_id (self->report));
  else if (g_str_equal (name, "duplicate"))
    {
      if ((dialog = ks_detail_duplicates_chooser_new (self->duplicates)) != NULL)
        gtk_window_present (GTK_WINDOW (dialog));
    }
  else if ((dialog = ks_report_action_dialog_new (self, name)) != NULL)
    /* update, state, priority, request-info, moderate, hide */
    gtk_window_present (GTK_WINDOW (dialog));
}

/* The report actions' buttons: label, icon and what the tooltip says. */
static const struct { const char *name, *label, *icon, *tooltip; } action_info[] = {
  { "acknowledge",  N_("_Acknowledge"), "object-select-symbolic", N_("Mark as seen by the council (Ctrl+Shift+A)") },
  { "update",       N_("_Update"), "mail-send-symbolic", N_("Post a public update") },
  { "state",        N_("_State"), "emblem-synchronizing-symbolic", N_("Change the report’s state") },
  { "priority",     N_("_Prioritise"), "starred-symbolic", N_("Set the response priority") },
  { "request-info", N_("Ask _Reporter"), "dialog-question-symbolic", N_("Ask the reporter for more information") },
  { "shortlist",    N_("Shor_tlist"), "view-pin-symbolic", N_("Add to or remove from your shortlist") },
  { "assign",       N_("Assi_gn…"), "avatar-default-symbolic", N_("Put the report on a colleague’s shortlist") },
  { "navigate",     N_("_Navigate"), "mark-location-symbolic", N_("Open the report’s place in your map or routing app") },
  { "moderate",     N_("_Moderate"), "document-edit-symbolic", N_("Edit the public text, with a reason") },
  { "hide",         N_("_Hide"), "view-conceal-symbolic", N_("Unpublish the report") },
  { "duplicate",    N_("_Duplicate…"), "edit-copy-symbolic", N_("Mark as a duplicate of another report (the open ones nearby are offered)") },
};

static GtkWidget *
make_action_button (KsReportDetail *self,
                    const char     *name)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();

  for (guint i = 0; i < G_N_ELEMENTS (action_info); i++)
    if (g_str_equal (action_info[i].name, name))
      {
        adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _(action_info[i].label));
        adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), action_info[i].icon);
        adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
        gtk_widget_set_tooltip_text (button, _(action_info[i].tooltip));
      }

  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_set_name (button, name);
  /* Hiding unpublishes; moderating is an edit, not destructive. */
  if (g_str_equal (name, "hide"))
    gtk_widget_add_css_class (button, "destructive-action");
  g_object_set_data_full (G_OBJECT (button), "ks-action", g_strdup (name), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_action_clicked), self);
  return button;
}

static void
rebuild_actions (KsReportDetail *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->actions_box)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->actions_box), child);
  g_hash_table_remove_all (self->buttons);

  if (self->session == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (action_table); i++)
    {
      GtkWidget *button;

      if (!ks_session_can (self->session, action_table[i].perm))
        continue;
      button = make_action_button (self, action_table[i].name);
      gtk_flow_box_append (GTK_FLOW_BOX (self->actions_box), button);
      g_hash_table_insert (self->buttons, (gpointer) action_table[i].name, button);
    }
  ks_report_detail_correct_add_actions (self, self->actions_box, self->buttons);
}

static void
set_row_value (GtkWidget  *row,
               const char *value)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value && *value ? value : "—");
}

/* The point on the British National Grid beside latitude and longitude, when
 * the server gives it (the detail's "grid", for points in Great Britain). */
static void
show_grid (KsReportDetail *self)
{
  JsonNode *node = self->detail ? json_object_get_member (self->detail, "grid") : NULL;
  JsonObject *grid;
  g_autofree char *text = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      gtk_widget_set_visible (self->grid_row, FALSE);
      set_row_value (self->grid_row, NULL);
      return;
    }
  grid = json_node_get_object (node);
  /* Easting and northing in whole metres, as Ordnance Survey maps give them. */
  text = g_strdup_printf (_("Easting %" G_GINT64_FORMAT ", northing %" G_GINT64_FORMAT),
                          (gint64) json_object_get_double_member_with_default (grid, "easting", 0),
                          (gint64) json_object_get_double_member_with_default (grid, "northing", 0));
  set_row_value (self->grid_row, text);
  gtk_widget_set_visible (self->grid_row, TRUE);
}

/* A hidden report keeps its state until it is unhidden (the server refuses a
 * state change, a question to the reporter or a duplicate mark on it), so those
 * buttons wait, and say why, instead of leading to a refusal. */
static void
update_state_buttons (KsReportDetail *self,
                      KsReport       *r)
{
  gboolean hidden = g_strcmp0 (ks_report_get_state (r), "hidden") == 0;

  for (guint i = 0; i < G_N_ELEMENTS (action_info); i++)
    {
      const char *name = action_info[i].name;
      GtkWidget *button = g_hash_table_lookup (self->buttons, name);
      gboolean may = !hidden;

      if (button == NULL || !(g_str_equal (name, "state") || g_str_equal (name, "request-info")
                              || g_str_equal (name, "duplicate")))
        continue;
      /* A duplicate is undone (in the Duplicates group) before it is marked again. */
      if (g_str_equal (name, "duplicate"))
        may = may && ks_detail_duplicates_may_mark (self->duplicates);
      gtk_widget_set_sensitive (button, may);
      gtk_widget_set_tooltip_text (button, hidden ? _("The report is hidden: unhide it first")
                                                  : _(action_info[i].tooltip));
    }
}

/* Shows the cached report's fields (the detail object adds more when it arrives). */
static void
refresh (KsReportDetail *self)
{
  KsReport *r = self->report;
  const KsState *state;
  g_autofree char *id = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *location = NULL;
  g_autofree char *state_css = NULL;
  const char *detail;
  GtkWidget *button;
  gint64 me;

  if (r == NULL)
    {
      ks_report_detail_placeholder_show (self, NULL, self->actions_box, self->id_label, self->actions_box);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "report");

  gtk_label_set_text (GTK_LABEL (self->title_label), ks_report_get_title (r));
  id = g_strdup_printf ("#%" G_GINT64_FORMAT, ks_report_get_id (r));
  gtk_label_set_text (GTK_LABEL (self->id_label), id);
  ks_report_detail_placeholder_show (self, r, self->actions_box, self->id_label, self->actions_box);

  state = ks_state_lookup (ks_report_get_state (r));
  gtk_label_set_text (GTK_LABEL (self->state_label), state ? state->label : ks_report_get_state (r));
  if (self->css_state_class)
    gtk_widget_remove_css_class (self->state_label, self->css_state_class);
  g_free (self->css_state_class);
  self->css_state_class = g_strdup_printf ("ks-state-%s", ks_report_get_state (r));
  gtk_widget_add_css_class (self->state_label, self->css_state_class);
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
    state_css = g_strdup_printf ("label.ks-state-badge.%s { background-color: %s; }",
                                 self->css_state_class, state ? state->colour : "#77767b");
    gtk_css_provider_load_from_data (provider, state_css, -1);
    gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  if (ks_report_get_acknowledged (r) != 0)
    {
      g_autofree char *when = format_time (ks_report_get_acknowledged (r));
      g_autofree char *text = g_strdup_printf (_("Acknowledged %s"), g_strstrip (when));
      gtk_label_set_text (GTK_LABEL (self->ack_label), text);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->ack_label), _("Not acknowledged"));

  detail = json_string (self->detail, "detail");
  if (detail == NULL)
    detail = ks_report_get_detail (r);
  gtk_label_set_text (GTK_LABEL (self->detail_label), detail && *detail ? detail : "");
  gtk_widget_set_visible (self->detail_label, detail && *detail);

  set_row_value (self->category_row, ks_report_get_category (r));
  set_row_value (self->priority_row, self->session
                 ? ks_session_get_priority_name (self->session, ks_report_get_priority_id (r)) : NULL);
  {
    g_autofree char *response = ks_report_detail_response_text (self->session, r, self->detail);

    set_row_value (self->response_row, response);
    gtk_widget_set_visible (self->response_row, response != NULL);
  }
  location = g_strdup_printf ("%s%s%.5f, %.5f",
                              json_string (self->detail, "address") ? json_string (self->detail, "address") : ks_report_get_ward (r),
                              *ks_report_get_ward (r) || json_string (self->detail, "address") ? " · " : "",
                              ks_report_get_lat (r), ks_report_get_lon (r));
  set_row_value (self->location_row, location);
  show_grid (self);
  created = format_time (ks_report_get_created (r));
  set_row_value (self->created_row, g_strstrip (created));
  updated = format_time (ks_report_get_updated (r));
  set_row_value (self->updated_row, g_strstrip (updated));

  me = self->session ? ks_session_get_user_id (self->session) : 0;
  if (ks_report_get_shortlist_user (r) == 0)
    set_row_value (self->shortlist_row, _("On nobody’s shortlist"));
  else if (ks_report_get_shortlist_user (r) == me)
    set_row_value (self->shortlist_row, _("On your shortlist"));
  else
    {
      JsonObject *holder = NULL;
      g_autofree char *text = NULL;

      /* The holder's name comes with the detail (while it is loading, or when
       * the detail is older than the report, say "a colleague"). */
      if (self->detail && json_object_has_member (self->detail, "shortlist_holder")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (self->detail, "shortlist_holder")))
        holder = json_object_get_object_member (self->detail, "shortlist_holder");
      if (holder && json_object_get_int_member_with_default (holder, "id", 0) == ks_report_get_shortlist_user (r)
          && json_string (holder, "name"))
        text = g_strdup_printf (_("On %s’s shortlist"), json_string (holder, "name"));
      else if (ks_session_get_assignee_name (self->session, ks_report_get_shortlist_user (r)))
        text = g_strdup_printf (_("On %s’s shortlist"),
                                ks_session_get_assignee_name (self->session, ks_report_get_shortlist_user (r)));
      else
        text = g_strdup (_("On a colleague’s shortlist"));
      set_row_value (self->shortlist_row, text);
    }

  if ((button = g_hash_table_lookup (self->buttons, "acknowledge")))
    gtk_widget_set_sensitive (button, ks_report_get_acknowledged (r) == 0);
  update_state_buttons (self, r);
  if ((button = g_hash_table_lookup (self->buttons, "shortlist")))
    {
      GtkWidget *content = gtk_button_get_child (GTK_BUTTON (button));
      gboolean mine = ks_report_get_shortlist_user (r) == me && me != 0;

      adw_button_content_set_label (ADW_BUTTON_CONTENT (content),
                                    mine ? _("Un_shortlist") : _("Shor_tlist"));
      gtk_widget_set_tooltip_text (button, mine ? _("Remove from your shortlist")
                                                : _("Add to your shortlist"));
    }
  if ((button = g_hash_table_lookup (self->buttons, "hide")))
    {
      GtkWidget *content = gtk_button_get_child (GTK_BUTTON (button));
      gboolean hidden = g_strcmp0 (ks_report_get_state (r), "hidden") == 0;

      /* A hidden report offers to publish it again (same permission). */
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), hidden ? _("Un_hide") : _("_Hide"));
      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content),
                                        hidden ? "view-reveal-symbolic" : "view-conceal-symbolic");
      gtk_widget_set_tooltip_text (button, hidden ? _("Publish the report again, in the state it had")
                                                  : _("Unpublish the report"));
      if (hidden)
        gtk_widget_remove_css_class (button, "destructive-action");
      else
        gtk_widget_add_css_class (button, "destructive-action");
    }
}

static GtkWidget *
make_timeline_row (const char *heading,
                   const char *when,
                   const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *head = gtk_label_new (heading);
  GtkWidget *time = gtk_label_new (when);

  gtk_widget_add_css_class (box, "ks-timeline-row");
  gtk_label_set_xalign (GTK_LABEL (head), 0);
  gtk_label_set_wrap (GTK_LABEL (head), TRUE);
  gtk_widget_add_css_class (head, "heading");
  gtk_label_set_xalign (GTK_LABEL (time), 0);
  gtk_label_set_wrap (GTK_LABEL (time), TRUE);
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "caption");
  gtk_box_append (GTK_BOX (box), head);
  gtk_box_append (GTK_BOX (box), time);
  g_object_set_data (G_OBJECT (box), "ks-heading", head);
  if (text && *text)
    {
      GtkWidget *body = gtk_label_new (text);

      g_object_set_data (G_OBJECT (box), "ks-body", body);

      gtk_label_set_xalign (GTK_LABEL (body), 0);
      gtk_label_set_wrap (GTK_LABEL (body), TRUE);
      gtk_label_set_selectable (GTK_LABEL (body), TRUE);
      gtk_box_append (GTK_BOX (box), body);
    }
  return box;
}

static void
clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

/* What a timeline entry did, as a sentence for staff (its author and time are
 * shown beside it). */
static char *
timeline_sentence (KsReportDetail *self,
                   const char     *kind,
                   const char     *state,
                   gint64          priority_id,
                   gboolean        is_public)
{
  const char *priority = priority_id && self->session
    ? ks_session_get_priority_name (self->session, priority_id) : NULL;
  gboolean says_public = TRUE;
  char *sentence;

  if (g_strcmp0 (kind, "created") == 0)
    sentence = g_strdup (_("Created the report"));
  else if (g_strcmp0 (kind, "acknowledge") == 0)
    sentence = g_strdup (_("Acknowledged the report"));
  else if (g_strcmp0 (kind, "state") == 0 && state)
    sentence = g_strdup_printf (_("Changed the state to %s"), state);
  else if (g_strcmp0 (kind, "priority") == 0)
    {
      sentence = priority && *priority
        ? g_strdup_printf (_("Set the priority to %s"), priority)
        : g_strdup (_("Removed the priority"));
      says_public = FALSE;
    }
  else if (g_strcmp0 (kind, "hide") == 0)
    {
      sentence = g_strdup (_("Hid the report from the public"));
      says_public = FALSE;
    }
  else if (g_strcmp0 (kind, "unhide") == 0)
    {
      sentence = state
        ? g_strdup_printf (_("Made the report public again, as %s"), state)
        : g_strdup (_("Made the report public again"));
      says_public = FALSE;
    }
  else if (g_strcmp0 (kind, "request_info") == 0)
    sentence = g_strdup (_("Asked the reporter for more information"));
  else if (g_strcmp0 (kind, "category") == 0 || g_strcmp0 (kind, "location") == 0 ||
           g_strcmp0 (kind, "attributes") == 0)
    {
      sentence = g_strdup (g_str_equal (kind, "category") ? _("Changed the category")
                           : g_str_equal (kind, "location") ? _("Moved the report")
                           : _("Corrected the answers"));
      says_public = FALSE;
    }
  else if (g_strcmp0 (kind, "update") == 0 && !state && !is_public)
    {
      sentence = g_strdup (_("Wrote an internal note (staff only)"));
      says_public = FALSE;
    }
  else if (g_strcmp0 (kind, "update") == 0 && state)
    /* An update's state is there only when it changed. */
    sentence = g_strdup_printf (_("Posted an update and changed the state to %s"), state);
  else if (state)
    sentence = g_strdup_printf (_("Changed the state to %s"), state);
  else
    sentence = g_strdup (_("Posted an update"));

  if (!is_public && says_public)
    {
      char *tmp = g_strdup_printf (_("%s (not shown publicly)"), sentence);
      g_free (sentence);
      sentence = tmp;
    }
  return sentence;
}

/* What a queued change will do, in a sentence. */
static char *
pending_sentence (KsOutboxEntry *entry)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body = NULL;
  const char *state = NULL;

  if (entry->body && json_parser_load_from_data (parser, entry->body, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    body = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (entry->action, "create") == 0)
    return g_strdup (_("Created the report"));
  if (g_strcmp0 (entry->action, "acknowledge") == 0)
    return g_strdup (_("Acknowledged the report"));
  if (g_strcmp0 (entry->action, "update") == 0)
    return g_strdup (_("Posted an update"));
  if (g_strcmp0 (entry->action, "state") == 0)
    {
      const KsState *s = NULL;

      state = body ? json_object_get_string_member_with_default (body, "state", NULL) : NULL;
      s = state ? ks_state_lookup (state) : NULL;
      return s ? g_strdup_printf (_("Changed the state to %s"), s->label)
               : g_strdup (_("Changed the state"));
    }
  if (g_strcmp0 (entry->action, "priority") == 0)
    return g_strdup (_("Changed the priority"));
  if (g_strcmp0 (entry->action, "moderate") == 0)
    return g_strdup (_("Moderated the report"));
  if (g_strcmp0 (entry->action, "hide") == 0)
    return g_strdup (_("Hid the report from the public"));
  if (g_strcmp0 (entry->action, "request_info") == 0)
    return g_strdup (_("Asked the reporter for more information"));
  if (g_strcmp0 (entry->action, "moderate_update") == 0)
    return g_strdup (_("Edited an update"));
  if (g_strcmp0 (entry->action, "hide_update") == 0)
    return g_strdup (_("Hid an update from the public"));
  if (g_strcmp0 (entry->action, "unhide_update") == 0)
    return g_strdup (_("Made an update public again"));
  if (g_strcmp0 (entry->action, "shortlist") == 0)
    return g_strdup (_("Changed the shortlist"));
  if (g_strcmp0 (entry->action, "category") == 0)
    return g_strdup (_("Changed the category"));
  if (g_strcmp0 (entry->action, "location") == 0)
    return g_strdup (_("Moved the report"));
  if (g_strcmp0 (entry->action, "attributes") == 0)
    return g_strdup (_("Corrected the answers"));
  return g_strdup (_("Changed the report"));
}

/* Changes queued in the outbox for this report (offline), as pending items
 * at the end of the timeline. Returns how many. */
static guint
show_pending (KsReportDetail *self)
{
  KsOutbox *outbox = self->session ? ks_session_get_outbox (self->session) : NULL;
  g_autoptr(GPtrArray) entries = NULL;
  guint n = 0;

  if (outbox == NULL || self->report == NULL)
    return 0;
  entries = ks_outbox_list (outbox);
  for (guint i = 0; i < entries->len; i++)
    {
      KsOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *sentence = NULL;
      GtkWidget *row;

      /* A placeholder's own create shows too, refused or not. */
      if (KS_OUTBOX_PLACEHOLDER_ID (entry->id) == ks_report_get_id (self->report) &&
          g_strcmp0 (entry->action, "create") == 0)
        {
          sentence = pending_sentence (entry);
          row = make_timeline_row (sentence, entry->state == KS_OUTBOX_PENDING
                                             ? _("You · waiting to be sent")
                                             : _("You · not accepted by the server"), NULL);
          gtk_widget_add_css_class (row, "ks-pending");
          gtk_widget_set_name (row, "pending-change");
          gtk_list_box_append (GTK_LIST_BOX (self->updates_list), row);
          n++;
          continue;
        }
      if (entry->report_id != ks_report_get_id (self->report) || entry->state != KS_OUTBOX_PENDING)
        continue;
      sentence = pending_sentence (entry);
      row = make_timeline_row (sentence, _("You · waiting to be sent"), NULL);
      gtk_widget_add_css_class (row, "ks-pending");
      gtk_widget_set_name (row, "pending-change");
      gtk_list_box_append (GTK_LIST_BOX (self->updates_list), row);
      n++;
    }
  return n;
}

static void
show_updates (KsReportDetail *self)
{
  JsonArray *updates = NULL;
  guint n = 0;

  clear_list (self->updates_list);
  ks_report_detail_correct_show_answers (self);
  if (self->detail && json_object_has_member (self->detail, "updates")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (self->detail, "updates")))
    updates = json_object_get_array_member (self->detail, "updates");
  if (updates)
    n = json_array_get_length (updates);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *u = json_array_get_object_element (updates, i);
      const char *kind, *state_id;
      const KsState *state;
      g_autofree char *who = NULL;
      g_autofree char *when = NULL;
      g_autofree char *heading = NULL;
      g_autofree char *byline = NULL;
      gboolean is_public;

      if (u == NULL)
        continue;
      kind = json_string (u, "kind");
      state_id = json_string (u, "state");
      state = state_id ? ks_state_lookup (state_id) : NULL;
      who = json_user_name (u, "user");
      when = format_time (parse_iso (json_string (u, "created")));
      is_public = json_object_get_boolean_member_with_default (u, "public", TRUE);

      heading = timeline_sentence (self, kind, state ? state->label : state_id,
                                   json_object_get_int_member_with_default (u, "priority_id", 0),
                                   is_public);
      byline = g_strdup_printf (_("%s · %s"), who ? who : _("Reporter"), g_strstrip (when));
      {
        GtkWidget *row = make_timeline_row (heading, byline, json_string (u, "text"));

        /* Internal notes stand apart from what the public sees. */
        if (!is_public && g_strcmp0 (kind, "update") == 0)
          {
            GtkWidget *mark = gtk_label_new (_("Internal · staff only"));

            gtk_widget_set_name (mark, "internal-note");
            gtk_label_set_xalign (GTK_LABEL (mark), 0);
            gtk_widget_add_css_class (mark, "caption");
            gtk_box_append (GTK_BOX (row), mark);
            gtk_widget_add_css_class (row, "ks-internal");
          }
        gtk_list_box_append (GTK_LIST_BOX (self->updates_list),
                             ks_report_detail_moderation_row (self, row, u));
      }
    }

  n += show_pending (self);
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      /* A fetch that failed (offline) says so: the window fetches again when
       * the server can be reached. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     self->detail ? _("No updates yet")
                                     : gtk_widget_get_visible (self->status_label)
                                     ? _("The updates appear when the server can be reached.")
                                     : _("Loading…"));
      gtk_list_box_append (GTK_LIST_BOX (self->updates_list), row);
    }
}

static void
show_moderation (KsReportDetail *self)
{
  JsonArray *history = NULL;
  guint n = 0;

  clear_list (self->moderation_list);
  if (self->detail && json_object_has_member (self->detail, "moderation")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (self->detail, "moderation")))
    history = json_object_get_array_member (self->detail, "moderation");
  if (history)
    n = json_array_get_length (history);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *m = json_array_get_object_element (history, i);
      JsonObject *before, *after;
      g_autofree char *who = NULL;
      g_autofree char *when = NULL;
      g_autoptr(GString) text = g_string_new (NULL);

      if (m == NULL)
        continue;
      who = json_user_name (m, "user");
      when = format_time (parse_iso (json_string (m, "created")));
      before = json_object_has_member (m, "before") ? json_object_get_object_member (m, "before") : NULL;
      after = json_object_has_member (m, "after") ? json_object_get_object_member (m, "after") : NULL;

      g_string_append_printf (text, _("Reason: %s"), json_string (m, "reason") ? json_string (m, "reason") : "—");
      if (before && after && g_strcmp0 (json_string (before, "title"), json_string (after, "title")) != 0)
        g_string_append_printf (text, _("\nTitle was: %s"), json_string (before, "title"));
      if (before && after && g_strcmp0 (json_string (before, "detail"), json_string (after, "detail")) != 0)
        g_string_append_printf (text, _("\nText was: %s"), json_string (before, "detail"));
      ks_report_detail_moderation_describe (m, text);

      gtk_list_box_append (GTK_LIST_BOX (self->moderation_list),
                           make_timeline_row (who ? who : _("Staff"), g_strstrip (when), text->str));
    }

  gtk_widget_set_visible (self->moderation_group, n > 0);
}

static void
show_reporter (KsReportDetail *self)
{
  JsonObject *reporter = NULL;
  const char *name, *email, *phone;

  if (self->detail && json_object_has_member (self->detail, "reporter")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (self->detail, "reporter")))
    reporter = json_object_get_object_member (self->detail, "reporter");

  name = json_string (reporter, "name");
  email = json_string (reporter, "email");
  phone = json_string (reporter, "phone");

  gtk_widget_set_visible (self->reporter_group, reporter && (name || email || phone));
  gtk_widget_set_visible (self->reporter_name_row, name && *name);
  gtk_widget_set_visible (self->reporter_email_row, email && *email);
  gtk_widget_set_visible (self->reporter_phone_row, phone && *phone);
  set_row_value (self->reporter_name_row, name);
  set_row_value (self->reporter_email_row, email);
  set_row_value (self->reporter_phone_row, phone);
  ks_report_detail_hide_person_show (self, self->reporter_group, email);
}

GtkWidget *
ks_report_detail_get_hide_person_button (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return ks_report_detail_hide_person_button (self->reporter_group);
}

/* The report has a photo that cannot be shown: say so instead. */
static void
photo_failed (KsReportDetail *self,
              const char     *why)
{
  g_debug ("Photo not shown: %s", why);
  gtk_label_set_label (GTK_LABEL (self->photo_status_label),
                       _("The photo could not be loaded. Check your connection, then open the "
                         "report again."));
  gtk_widget_set_visible (self->photo_status_label, TRUE);
}

static void
on_photo_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KsReportDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  bytes = ks_photo_loader_load_finish (KS_PHOTO_LOADER (source), result, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        photo_failed (self, error->message);
      return;
    }

  texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    {
      photo_failed (self, error->message);
      return;
    }

  gtk_picture_set_paintable (GTK_PICTURE (self->photo_picture), GDK_PAINTABLE (texture));
  gtk_widget_set_visible (self->photo_picture, TRUE);
}

static void
load_photo (KsReportDetail *self)
{
  KsClient *client;
  const char *photo = json_string (self->detail, "photo");

  gtk_picture_set_paintable (GTK_PICTURE (self->photo_picture), NULL);
  gtk_widget_set_visible (self->photo_picture, FALSE);
  gtk_widget_set_visible (self->photo_status_label, FALSE);
  if (photo == NULL || *photo == '\0' || self->session == NULL)
    return;

  client = ks_session_get_client (self->session);
  if (client == NULL)
    return;
  if (self->photo_loader == NULL)
    self->photo_loader = ks_photo_loader_new ();
  ks_photo_loader_load_async (self->photo_loader, client, photo, self->cancellable,
                              on_photo_read, g_object_ref (self));
}

static void
on_detail_fetched (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KsReportDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  JsonObject *detail;

  detail = ks_session_fetch_report_finish (KS_SESSION (source), result, &error);
  if (detail == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_text (GTK_LABEL (self->status_label), error->message);
      gtk_widget_set_visible (self->status_label, TRUE);
      g_clear_pointer (&self->detail, json_object_unref);
      show_updates (self);
      ks_report_detail_photos_show (self, self->photo_strip, NULL);
      g_signal_emit (self, signals[LOADED], 0);
      return;
    }

  g_clear_pointer (&self->detail, json_object_unref);
  self->detail = detail;
  gtk_widget_set_visible (self->status_label, FALSE);
  refresh (self);
  show_reporter (self);
  show_updates (self);
  show_moderation (self);
  ks_report_detail_show_emails (self, self->emails_group, self->emails_list);
  ks_report_detail_show_sendings (self, self->sendings_group, self->sendings_list);
  ks_detail_duplicates_update (self->duplicates);
  load_photo (self);
  ks_report_detail_photos_show (self, self->photo_strip, self->detail);
  g_signal_emit (self, signals[LOADED], 0);
}

static void
fetch_detail (KsReportDetail *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->report == NULL || self->session == NULL)
    return;
  /* The server has nothing to say of a report it has not received yet. */
  if (ks_session_is_placeholder (ks_report_get_id (self->report)))
    return;

  self->cancellable = g_cancellable_new ();
  ks_session_fetch_report_async (self->session, ks_report_get_id (self->report), self->cancellable,
                                 on_detail_fetched, g_object_ref (self));
}

static void
on_report_notify (KsReportDetail *self)
{
  /* A placeholder that the server now has: it has a reference, and a detail to fetch. */
  gboolean renamed = self->report != NULL && ks_report_get_id (self->report) != self->shown_id;

  if (renamed)
    self->shown_id = ks_report_get_id (self->report);
  refresh (self);
  /* Hidden or shown again: the reporter's Hide Everywhere follows. */
  show_reporter (self);
  /* The small map draws from its own one-report model: announce the change
   * there too, as the store does for the main map. */
  if (self->report && g_list_model_get_n_items (G_LIST_MODEL (self->map_model)) == 1)
    g_list_store_splice (self->map_model, 0, 1, (gpointer *) &self->report, 1);
  if (renamed)
    {
      if (self->map_view != NULL)
        ks_map_view_set_selected (KS_MAP_VIEW (self->map_view), self->shown_id);
      show_updates (self);
      fetch_detail (self);
    }
}

static void
update_map (KsReportDetail *self)
{
  if (self->map_view == NULL || self->report == NULL)
    return;

  g_list_store_splice (self->map_model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->map_model)),
                       (gpointer *) &self->report, 1);
  ks_map_view_set_selected (KS_MAP_VIEW (self->map_view), ks_report_get_id (self->report));
  ks_map_view_center_on (KS_MAP_VIEW (self->map_view),
                         ks_report_get_lat (self->report), ks_report_get_lon (self->report), 16);
}

static void
ensure_map (KsReportDetail *self)
{
  if (self->map_view != NULL)
    return;

  self->map_view = g_object_new (KS_TYPE_MAP_VIEW, NULL);
  ks_map_view_set_interactive (KS_MAP_VIEW (self->map_view), FALSE);
  gtk_widget_set_focusable (self->map_view, FALSE);
  gtk_widget_set_overflow (self->map_bin, GTK_OVERFLOW_HIDDEN);
  adw_bin_set_child (ADW_BIN (self->map_bin), self->map_view);
  ks_map_view_set_reports (KS_MAP_VIEW (self->map_view), G_LIST_MODEL (self->map_model));
  ks_report_detail_pin_attach (self, KS_MAP_VIEW (self->map_view));
}

static void
ks_report_detail_dispose (GObject *object)
{
  KsReportDetail *self = KS_REPORT_DETAIL (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->report && self->notify_id)
    g_clear_signal_handler (&self->notify_id, self->report);
  g_clear_object (&self->report);
  g_clear_object (&self->session);
  g_clear_object (&self->photo_loader);
  g_clear_pointer (&self->detail, json_object_unref);
  g_clear_pointer (&self->duplicates, ks_detail_duplicates_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_REPORT_DETAIL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->map_view = NULL;
  g_clear_object (&self->map_model);

  G_OBJECT_CLASS (ks_report_detail_parent_class)->dispose (object);
}

static void
ks_report_detail_finalize (GObject *object)
{
  KsReportDetail *self = KS_REPORT_DETAIL (object);

  g_hash_table_unref (self->buttons);
  g_free (self->css_state_class);

  G_OBJECT_CLASS (ks_report_detail_parent_class)->finalize (object);
}

static void
ks_report_detail_class_init (KsReportDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_report_detail_dispose;
  object_class->finalize = ks_report_detail_finalize;

  signals[TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-report-detail.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, scroller);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, state_label);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, id_label);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, ack_label);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, actions_box);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, detail_label);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, photo_picture);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, photo_status_label);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, photo_strip);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, map_bin);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, category_row);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, priority_row);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, response_row);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, location_row);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, grid_row);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, created_row);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, updated_row);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, shortlist_row);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, reporter_group);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, reporter_name_row);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, reporter_email_row);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, reporter_phone_row);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, updates_group);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, updates_list);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, moderation_group);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, moderation_list);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, emails_group);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, emails_list);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, sendings_group);
  gtk_widget_class_bind_template_child (widget_class, KsReportDetail, sendings_list);
}

static void
ks_report_detail_init (KsReportDetail *self)
{
  self->buttons = g_hash_table_new (g_str_hash, g_str_equal);
  self->map_model = g_list_store_new (KS_TYPE_REPORT);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The facets in their own files: the duplicate links before the timeline,
   * the reports nearby after it. */
  self->duplicates = ks_detail_duplicates_new (self);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->status_label)),
                              ks_detail_duplicates_get_widget (self->duplicates),
                              self->status_label);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->status_label)),
                              ks_detail_duplicates_get_nearby_widget (self->duplicates),
                              ks_report_detail_get_timeline_group (self));
}

GtkWidget *
ks_report_detail_new (void)
{
  return g_object_new (KS_TYPE_REPORT_DETAIL, NULL);
}

void
ks_report_detail_set_session (KsReportDetail *self,
                              KsSession      *session)
{
  g_return_if_fail (KS_IS_REPORT_DETAIL (self));

  ks_report_detail_set_report (self, NULL);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, refresh, self);
  g_set_object (&self->session, session);
  /* Priority names come with the catalogue, which may arrive after the report. */
  if (session != NULL)
    g_signal_connect_object (session, "lists-changed", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  rebuild_actions (self);
}

void
ks_report_detail_set_report (KsReportDetail *self,
                             KsReport       *report)
{
  g_return_if_fail (KS_IS_REPORT_DETAIL (self));

  if (self->report == report)
    return;

  if (self->report && self->notify_id)
    g_clear_signal_handler (&self->notify_id, self->report);
  g_set_object (&self->report, report);
  self->shown_id = report ? ks_report_get_id (report) : 0;
  g_clear_pointer (&self->detail, json_object_unref);
  gtk_widget_set_visible (self->status_label, FALSE);
  /* A pin dragged for the report shown before goes with it. */
  ks_report_detail_pin_clear (self);

  if (report)
    {
      self->notify_id = g_signal_connect_swapped (report, "notify", G_CALLBACK (on_report_notify), self);
      ensure_map (self);
      update_map (self);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), 0);
    }

  refresh (self);
  show_reporter (self);
  show_updates (self);
  show_moderation (self);
  ks_report_detail_show_emails (self, self->emails_group, self->emails_list);
  ks_report_detail_show_sendings (self, self->sendings_group, self->sendings_list);
  ks_detail_duplicates_update (self->duplicates);
  load_photo (self);
  ks_report_detail_photos_show (self, self->photo_strip, self->detail);
  fetch_detail (self);
}

GtkWidget *
ks_report_detail_get_sendings_group (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return self->sendings_group;
}

char *
ks_report_detail_get_sendings_text (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return ks_report_detail_sendings_text (self->sendings_list);
}

GtkWidget *
ks_report_detail_get_emails_group (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return self->emails_group;
}

char *
ks_report_detail_get_emails_text (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return ks_report_detail_emails_text (self->emails_list);
}

KsSession *
ks_report_detail_get_session (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return self->session;
}

KsReport *
ks_report_detail_get_report (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return self->report;
}

JsonObject *
ks_report_detail_get_detail (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return self->detail;
}

void
ks_report_detail_set_tile_source (KsReportDetail *self,
                                  const char     *url_template)
{
  g_return_if_fail (KS_IS_REPORT_DETAIL (self));

  ensure_map (self);
  ks_map_view_set_tile_source (KS_MAP_VIEW (self->map_view), url_template);
}

char **
ks_report_detail_get_offered_actions (KsReportDetail *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (action_table); i++)
    {
      GtkWidget *button = g_hash_table_lookup (self->buttons, action_table[i].name);

      if (button && gtk_widget_get_visible (button))
        g_strv_builder_add (builder, action_table[i].name);
    }
  return g_strv_builder_end (builder);
}

GtkWidget *
ks_report_detail_get_action_button (KsReportDetail *self,
                                    const char     *action)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return g_hash_table_lookup (self->buttons, action);
}

GtkWidget *
ks_report_detail_get_photo_strip (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return self->photo_strip;
}

GtkWidget *
ks_report_detail_get_photo_picture (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return self->photo_picture;
}

/* Test-only accessors (ks-report-detail-private.h) */

const char *
ks_report_detail_get_field_text (KsReportDetail *self,
                                 const char     *field)
{
  static const struct { const char *name; gsize offset; } rows[] = {
    { "category", G_STRUCT_OFFSET (KsReportDetail, category_row) },
    { "priority", G_STRUCT_OFFSET (KsReportDetail, priority_row) },
    { "response", G_STRUCT_OFFSET (KsReportDetail, response_row) },
    { "location", G_STRUCT_OFFSET (KsReportDetail, location_row) },
    { "grid", G_STRUCT_OFFSET (KsReportDetail, grid_row) },
    { "created", G_STRUCT_OFFSET (KsReportDetail, created_row) },
    { "updated", G_STRUCT_OFFSET (KsReportDetail, updated_row) },
    { "shortlist", G_STRUCT_OFFSET (KsReportDetail, shortlist_row) },
  };

  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);

  if (g_str_equal (field, "state"))
    return gtk_label_get_text (GTK_LABEL (self->state_label));
  if (g_str_equal (field, "acknowledged"))
    return gtk_label_get_text (GTK_LABEL (self->ack_label));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (field, rows[i].name))
      return adw_action_row_get_subtitle (ADW_ACTION_ROW (G_STRUCT_MEMBER (GtkWidget *, self, rows[i].offset)));
  return NULL;
}

const char *
ks_report_detail_get_reference_text (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->id_label));
}

char **
ks_report_detail_get_timeline (KsReportDetail *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (self->updates_list); row;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box = GTK_IS_LIST_BOX_ROW (row) ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)) : NULL;
      GtkWidget *head = box ? g_object_get_data (G_OBJECT (box), "ks-heading") : NULL;
      GtkWidget *body = box ? g_object_get_data (G_OBJECT (box), "ks-body") : NULL;

      g_autofree char *row_text = NULL;

      if (head == NULL)
        continue;
      row_text = g_strdup_printf ("%s\n%s", gtk_label_get_text (GTK_LABEL (head)),
                                  body ? gtk_label_get_text (GTK_LABEL (body)) : "");
      g_strv_builder_add (builder, row_text);
    }
  return g_strv_builder_end (builder);
}

GtkWidget *
ks_report_detail_get_timeline_group (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return self->updates_group;
}

KsMapView *
ks_report_detail_get_map_view (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return self->map_view ? KS_MAP_VIEW (self->map_view) : NULL;
}

void
ks_report_detail_reload (KsReportDetail *self)
{
  g_return_if_fail (KS_IS_REPORT_DETAIL (self));
  fetch_detail (self);
}

void
ks_report_detail_show_pending (KsReportDetail *self)
{
  g_return_if_fail (KS_IS_REPORT_DETAIL (self));
  if (self->report == NULL)
    return;
  /* A placeholder's notice follows its create (refused, say). */
  if (ks_session_is_placeholder (ks_report_get_id (self->report)))
    ks_report_detail_placeholder_show (self, self->report, self->actions_box, self->id_label,
                                       self->actions_box);
  show_updates (self);
}

KsDetailDuplicates *
ks_report_detail_get_duplicates (KsReportDetail *self)
{
  g_return_val_if_fail (KS_IS_REPORT_DETAIL (self), NULL);
  return self->duplicates;
}
