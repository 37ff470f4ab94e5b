/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-bulk-bar.c: bulk actions on the selected reports.
 *
 * Nothing here walks the rows while the selection grows: the count comes from
 * the list's bitset, and the selected ids are read once, when an action is sent.
 * The request is one outbox entry (ks_session_bulk_async); its answer updates the
 * reports in the list and on the map by itself, and the results open in a dialog. */
#define G_LOG_DOMAIN "ks-bulk"

#include "config.h"
#include "ks-bulk-bar.h"
#include "ks-bulk-results-dialog.h"
#include "ks-number-format.h"
#include "ks-states.h"

#include <glib/gi18n.h>
#include <string.h>

struct _KsBulkBar
{
  GtkWidget     parent_instance;

  KsReportList *list;
  KsSession    *session;
  GCancellable *cancellable;
  guint         n_selected;
  gboolean      busy;
  char         *label_text;

  GtkWidget    *revealer;
  GtkWidget    *action_bar;
  GtkWidget    *count_label;
  GtkWidget    *spinner;
  GtkWidget    *buttons;
  GtkWidget    *more_button;
  GtkWidget    *clear_button;
  GtkWidget    *acknowledge_button;
  GtkWidget    *state_button;
  GtkWidget    *priority_button;
  GtkWidget    *category_button;
  GtkWidget    *assign_button;
  GtkWidget    *template_button;
};

G_DEFINE_FINAL_TYPE (KsBulkBar, ks_bulk_bar, GTK_TYPE_WIDGET)

enum { SHOW_REPORT, TOAST, N_SIGNALS };
static guint signals[N_SIGNALS];

/* One sending: what was asked, in words for the results. */
typedef struct {
  KsBulkBar *self;
  char      *what;
  guint      n;
} Sending;

static void
sending_free (Sending *s)
{
  g_object_unref (s->self);
  g_free (s->what);
  g_free (s);
}

/* ---- the choices ---------------------------------------------------------- */

/* A choice dialog keeps its keys (GStrv) beside its drop-down's labels. */
#define KEYS "ks-bulk-keys"

static GtkWidget *
choice_dialog (KsBulkBar   *self,
               const char  *action,
               const char  *heading,
               const char  *body,
               GStrv        labels,
               GStrv        keys,
               gboolean     with_text)
{
  GtkWidget *dialog, *box, *dropdown = NULL, *entry = NULL;
  g_autofree char *apply = g_strdup_printf (ngettext ("_Apply to %u Report", "_Apply to %u Reports",
                                                      self->n_selected), self->n_selected);

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   heading, body);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  if (labels != NULL)
    {
      dropdown = gtk_drop_down_new_from_strings ((const char * const *) labels);
      gtk_widget_set_name (dropdown, "bulk-choice");
      gtk_box_append (GTK_BOX (box), dropdown);
    }
  if (with_text)
    {
      entry = gtk_entry_new ();
      gtk_widget_set_name (entry, "bulk-text");
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Public update (optional)"));
      gtk_box_append (GTK_BOX (box), entry);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "apply", apply, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), KEYS, g_strdupv (keys), (GDestroyNotify) g_strfreev);
  g_object_set_data_full (G_OBJECT (dialog), "ks-bulk-action", g_strdup (action), g_free);
  g_object_set_data (G_OBJECT (dialog), "ks-bulk-dropdown", dropdown);
  g_object_set_data (G_OBJECT (dialog), "ks-bulk-entry", entry);
  return dialog;
}

gboolean
ks_bulk_bar_choose (GtkWidget  *dialog,
                    const char *key)
{
  GStrv keys = g_object_get_data (G_OBJECT (dialog), KEYS);
  GtkWidget *dropdown = g_object_get_data (G_OBJECT (dialog), "ks-bulk-dropdown");

  for (guint i = 0; keys != NULL && dropdown != NULL && keys[i] != NULL; i++)
    if (g_strcmp0 (keys[i], key) == 0)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
        return TRUE;
      }
  return FALSE;
}

/* Labels and keys of a reference list (objects with "id" and a name member). */
static void
list_choices (JsonArray   *array,
              const char  *name_member,
              gboolean   (*offer) (JsonObject *o),
              GStrvBuilder *labels,
              GStrvBuilder *keys)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *key = NULL;

      if (o == NULL || (offer != NULL && !offer (o)))
        continue;
      key = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member_with_default (o, "id", 0));
      g_strv_builder_add (labels, json_object_get_string_member_with_default (o, name_member, key));
      g_strv_builder_add (keys, key);
    }
}

static gboolean
is_active (JsonObject *o)
{
  return json_object_get_boolean_member_with_default (o, "active", TRUE);
}

static gboolean
can_hold (JsonObject *o)
{
  return json_object_get_boolean_member_with_default (o, "can_hold", FALSE);
}

static GtkWidget *
make_dialog (KsBulkBar  *self,
             const char *action)
{
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_auto(GStrv) l = NULL, k = NULL;
  g_autofree char *body = NULL;
  const char *heading;
  gboolean with_text = FALSE, choose = TRUE;

  if (g_str_equal (action, "state"))
    {
      heading = _("Change State");
      body = g_strdup_printf (ngettext ("The new state of the selected report.",
                                        "The new state of the %u selected reports.",
                                        self->n_selected), self->n_selected);
      for (guint i = 0; i < ks_states_count (); i++)
        {
          const KsState *s = ks_states_nth (i);
          if ((s->kind == KS_STATE_KIND_OPEN || s->kind == KS_STATE_KIND_FIXED ||
               s->kind == KS_STATE_KIND_CLOSED) && !s->inactive)
            {
              g_strv_builder_add (labels, s->label);
              g_strv_builder_add (keys, s->id);
            }
        }
      with_text = TRUE;
    }
  else if (g_str_equal (action, "priority"))
    {
      heading = _("Prioritise");
      body = g_strdup (_("A priority that is not for a report’s category leaves that report "
                         "as it is; the results say which."));
      list_choices (ks_session_get_priorities (self->session), "name", is_active, labels, keys);
      g_strv_builder_add (labels, _("No priority"));
      g_strv_builder_add (keys, "");
    }
  else if (g_str_equal (action, "category"))
    {
      heading = _("Change Category");
      body = g_strdup (_("Answers the new category does not ask are kept in each report’s "
                         "history; a priority that is not for it is cleared."));
      list_choices (ks_session_get_categories (self->session), "name", is_active, labels, keys);
    }
  else if (g_str_equal (action, "assign"))
    {
      heading = _("Assign");
      body = g_strdup (_("The reports go onto this person’s shortlist, taken from whoever "
                         "holds them."));
      list_choices (ks_session_get_assignees (self->session), "name", can_hold, labels, keys);
    }
  else if (g_str_equal (action, "template"))
    {
      heading = _("Template Reply");
      body = g_strdup (_("The template’s text goes to each report as a public update, filled "
                         "in from that report. A template for other categories leaves those "
                         "reports as they are."));
      list_choices (ks_session_get_templates (self->session), "title", NULL, labels, keys);
    }
  else
    {
      heading = _("Acknowledge");
      body = g_strdup_printf (ngettext ("Mark the selected report as seen by the council.",
                                        "Mark the %u selected reports as seen by the council.",
                                        self->n_selected), self->n_selected);
      choose = FALSE;
    }
  l = g_strv_builder_end (labels);
  k = g_strv_builder_end (keys);
  return choice_dialog (self, action, heading, body, choose ? l : NULL, choose ? k : NULL,
                        with_text);
}

/* The chosen value, as the request's params, and the action in words. */
static JsonObject *
make_params (GtkWidget  *dialog,
             const char *action,
             char      **what)
{
  JsonObject *params = json_object_new ();
  GtkWidget *dropdown = g_object_get_data (G_OBJECT (dialog), "ks-bulk-dropdown");
  GtkWidget *entry = g_object_get_data (G_OBJECT (dialog), "ks-bulk-entry");
  GStrv keys = g_object_get_data (G_OBJECT (dialog), KEYS);
  guint pos = dropdown ? gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)) : GTK_INVALID_LIST_POSITION;
  const char *key = keys != NULL && pos != GTK_INVALID_LIST_POSITION && pos < g_strv_length (keys)
                    ? keys[pos] : NULL;
  const char *label = NULL;

  if (dropdown != NULL && pos != GTK_INVALID_LIST_POSITION)
    label = gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown))), pos);

  if (g_str_equal (action, "state"))
    {
      const char *text = entry ? gtk_editable_get_text (GTK_EDITABLE (entry)) : "";
      json_object_set_string_member (params, "state", key);
      if (text && *text)
        json_object_set_string_member (params, "text", text);
      *what = g_strdup_printf (_("Change the state to “%s”."), label);
    }
  else if (g_str_equal (action, "priority"))
    {
      if (key == NULL || *key == '\0')
        json_object_set_null_member (params, "priority_id");
      else
        json_object_set_int_member (params, "priority_id", g_ascii_strtoll (key, NULL, 10));
      *what = g_strdup_printf (_("Set the priority to “%s”."), label);
    }
  else if (g_str_equal (action, "category"))
    {
      json_object_set_int_member (params, "category_id", g_ascii_strtoll (key, NULL, 10));
      *what = g_strdup_printf (_("Change the category to “%s”."), label);
    }
  else if (g_str_equal (action, "assign"))
    {
      json_object_set_int_member (params, "user_id", g_ascii_strtoll (key, NULL, 10));
      json_object_set_boolean_member (params, "take", TRUE);
      *what = g_strdup_printf (_("Assign to %s."), label);
    }
  else if (g_str_equal (action, "template"))
    {
      json_object_set_int_member (params, "template_id", g_ascii_strtoll (key, NULL, 10));
      *what = g_strdup_printf (_("Reply with the template “%s”."), label);
    }
  else
    *what = g_strdup (_("Acknowledge."));
  return params;
}

/* ---- sending -------------------------------------------------------------- */

static void
set_busy (KsBulkBar *self,
          gboolean   busy)
{
  self->busy = busy;
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_sensitive (self->buttons, !busy);
  gtk_widget_set_sensitive (self->more_button, !busy);
}

static void
on_result_show_report (KsBulkBar *self,
                       gint64     id)
{
  g_signal_emit (self, signals[SHOW_REPORT], 0, id);
}

static void
on_bulk_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Sending *s = user_data;
  KsBulkBar *self = s->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(KsBulkResult) bulk = NULL;
  gboolean queued = FALSE;
  GtkWidget *dialog;

  bulk = ks_session_bulk_finish (KS_SESSION (source), result, &queued, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sending_free (s);
      return;
    }
  set_busy (self, FALSE);
  if (error != NULL)
    g_signal_emit (self, signals[TOAST], 0, error->message);
  else if (bulk == NULL || queued)
    {
      g_autofree char *text = g_strdup_printf (ngettext (
        "The change to %u report is saved on this computer. It will be sent when the server can be reached.",
        "The change to %u reports is saved on this computer. It will be sent when the server can be reached.",
        s->n), s->n);
      g_signal_emit (self, signals[TOAST], 0, text);
    }
  else
    {
      dialog = ks_bulk_results_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                           self->session, s->what, bulk);
      g_signal_connect_object (dialog, "show-report", G_CALLBACK (on_result_show_report), self,
                               G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  sending_free (s);
}

static void
on_choice_response (AdwMessageDialog *dialog,
                    const char       *response,
                    KsBulkBar        *self)
{
  const char *action = g_object_get_data (G_OBJECT (dialog), "ks-bulk-action");
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(GArray) ids = NULL;
  Sending *s;

  if (!g_str_equal (response, "apply") || self->session == NULL || self->list == NULL)
    return;

  s = g_new0 (Sending, 1);
  s->self = g_object_ref (self);
  params = make_params (GTK_WIDGET (dialog), action, &s->what);
  ids = ks_report_list_get_selected_ids (self->list);
  s->n = ids->len;
  set_busy (self, TRUE);
  ks_session_bulk_async (self->session, action,
                         json_object_get_size (params) > 0 ? params : NULL,
                         (const gint64 *) ids->data, ids->len, self->cancellable,
                         on_bulk_done, s);
}

static void
run_action (KsBulkBar  *self,
            const char *name)
{
  GtkWidget *dialog;

  if (self->session == NULL || self->busy || self->n_selected == 0)
    return;
  dialog = make_dialog (self, name);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_choice_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_action_clicked (GtkButton *button,
                   KsBulkBar *self)
{
  run_action (self, gtk_widget_get_name (GTK_WIDGET (button)) + strlen ("bulk-"));
}

/* "bulk.run" ("state"...): the Actions menu of a narrow bar. */
static void
run_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  run_action (KS_BULK_BAR (widget), g_variant_get_string (parameter, NULL));
}

static void
on_clear_clicked (KsBulkBar *self)
{
  if (self->list != NULL)
    ks_report_list_unselect (self->list);
}

/* ---- the bar -------------------------------------------------------------- */

static void
on_selection_changed (KsBulkBar *self,
                      guint      n)
{
  g_autofree char *count = ks_format_count (n);

  self->n_selected = n;
  g_free (self->label_text);
  self->label_text = g_strdup_printf (ngettext ("%s selected", "%s selected", n), count);
  gtk_label_set_text (GTK_LABEL (self->count_label), self->label_text);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), n >= 2);
}

static void
update_buttons (KsBulkBar *self)
{
  KsSession *s = self->session;
  gboolean signed_in = s != NULL;

#define CAN(p) (signed_in && ks_session_can (s, (p)))
  gtk_widget_set_visible (self->acknowledge_button, CAN (KS_PERM_ACKNOWLEDGE_REPORT));
  gtk_widget_set_visible (self->state_button, CAN (KS_PERM_UPDATE_STATUS));
  gtk_widget_set_visible (self->priority_button, CAN (KS_PERM_PRIORITISE_REPORT));
  /* A correction: update_status or moderate_report (DESIGN.md). */
  gtk_widget_set_visible (self->category_button,
                          CAN (KS_PERM_UPDATE_STATUS) || CAN (KS_PERM_MODERATE_REPORT));
  gtk_widget_set_visible (self->assign_button, CAN (KS_PERM_SHORTLIST));
  /* A template reply is a public update made from a template. */
  gtk_widget_set_visible (self->template_button,
                          CAN (KS_PERM_USE_TEMPLATES) && CAN (KS_PERM_UPDATE_REPORT));
#undef CAN
  /* The narrow bar's menu offers the same. */
  {
    g_autoptr(GMenu) menu = g_menu_new ();

    for (GtkWidget *b = gtk_widget_get_first_child (self->buttons); b; b = gtk_widget_get_next_sibling (b))
      if (gtk_widget_get_visible (b))
        {
          g_autofree char *detailed = g_strdup_printf ("bulk.run::%s", gtk_widget_get_name (b) + strlen ("bulk-"));
          g_menu_append (menu, gtk_button_get_label (GTK_BUTTON (b)), detailed);
        }
    gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->more_button), G_MENU_MODEL (menu));
  }
}

static void
ks_bulk_bar_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  gtk_widget_measure (KS_BULK_BAR (widget)->revealer, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
ks_bulk_bar_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  gtk_widget_allocate (KS_BULK_BAR (widget)->revealer, width, height, baseline, NULL);
}

static void
ks_bulk_bar_dispose (GObject *object)
{
  KsBulkBar *self = KS_BULK_BAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  ks_bulk_bar_set_list (self, NULL);
  g_clear_object (&self->session);
  g_clear_pointer (&self->label_text, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_BULK_BAR);

  G_OBJECT_CLASS (ks_bulk_bar_parent_class)->dispose (object);
}

static void
ks_bulk_bar_class_init (KsBulkBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ks_bulk_bar_dispose;
  widget_class->measure = ks_bulk_bar_measure;
  widget_class->size_allocate = ks_bulk_bar_size_allocate;

  signals[SHOW_REPORT] =
    g_signal_new ("show-report", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-bulk-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, revealer);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, action_bar);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, count_label);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, spinner);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, buttons);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, more_button);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, clear_button);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, acknowledge_button);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, state_button);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, priority_button);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, category_button);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, assign_button);
  gtk_widget_class_bind_template_child (widget_class, KsBulkBar, template_button);
  gtk_widget_class_bind_template_callback (widget_class, on_action_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
  gtk_widget_class_install_action (widget_class, "bulk.run", "s", run_activated);
}

static void
ks_bulk_bar_init (KsBulkBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  on_selection_changed (self, 0);
  update_buttons (self);
}

GtkWidget *
ks_bulk_bar_new (void)
{
  return g_object_new (KS_TYPE_BULK_BAR, NULL);
}

void
ks_bulk_bar_set_list (KsBulkBar    *self,
                      KsReportList *list)
{
  g_return_if_fail (KS_IS_BULK_BAR (self));

  if (self->list == list)
    return;
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->list);
  if (list != NULL)
    {
      self->list = g_object_ref (list);
      g_signal_connect_swapped (list, "selection-changed", G_CALLBACK (on_selection_changed), self);
    }
  on_selection_changed (self, list ? ks_report_list_get_n_selected (list) : 0);
}

void
ks_bulk_bar_set_session (KsBulkBar *self,
                         KsSession *session)
{
  g_return_if_fail (KS_IS_BULK_BAR (self));

  g_set_object (&self->session, session);
  update_buttons (self);
}

gboolean
ks_bulk_bar_get_revealed (KsBulkBar *self)
{
  g_return_val_if_fail (KS_IS_BULK_BAR (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer));
}

const char *
ks_bulk_bar_get_label (KsBulkBar *self)
{
  g_return_val_if_fail (KS_IS_BULK_BAR (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->count_label));
}

GtkWidget *
ks_bulk_bar_get_button (KsBulkBar  *self,
                        const char *action)
{
  g_autofree char *name = g_strconcat ("bulk-", action, NULL);

  g_return_val_if_fail (KS_IS_BULK_BAR (self), NULL);
  for (GtkWidget *b = gtk_widget_get_first_child (self->buttons); b; b = gtk_widget_get_next_sibling (b))
    if (g_str_equal (gtk_widget_get_name (b), name))
      return b;
  return NULL;
}

gboolean
ks_bulk_bar_get_busy (KsBulkBar *self)
{
  g_return_val_if_fail (KS_IS_BULK_BAR (self), FALSE);
  return self->busy;
}
