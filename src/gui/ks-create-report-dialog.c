/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-create-report-dialog.c: a report entered on a resident's (or the
 * council's) behalf: the place named from the reports around it, a category
 * chosen (none until then), its extra questions asked with a widget per kind of
 * answer and the required ones checked, then sent through the session. The
 * dialog stays open with the server's sentence when the report is refused. */
#define G_LOG_DOMAIN "ks-create-report-dialog"

#include "config.h"
#include "ks-create-report-dialog.h"
#include "ks-map-view.h"
#include "ks-photo-picker.h"
#include "ks-place.h"
#include "ks-place-search.h"
#include "ks-places.h"
#include "ks-states.h"
#include "ks-object-int64.h"

#include <glib/gi18n.h>
#include <math.h>

typedef struct {
  char      *code;
  char      *description;
  char      *datatype;
  gboolean   required;
  GtkWidget *row;
  GPtrArray *keys;      /* list questions: the value keys, in the widgets' order */
  GPtrArray *checks;    /* multivaluelist: a GtkCheckButton per key */
} Question;

struct _KsCreateReportDialog
{
  AdwWindow         parent_instance;

  KsSession        *session;
  double            lat;
  double            lon;
  GArray           *category_ids;    /* parallel to category_model, after its first item */
  GPtrArray        *questions;       /* Question */
  char             *detail;
  char             *place_text;
  gboolean          busy;

  GtkWidget        *place_row;
  GtkWidget        *address_row;
  GtkWidget        *category_row;
  GtkStringList    *category_model;
  GtkWidget        *title_row;
  GtkWidget        *detail_view;
  GtkWidget        *questions_group;
  GtkWidget        *resident_check;
  GtkWidget        *council_check;
  GtkWidget        *name_row;
  GtkWidget        *email_row;
  GtkWidget        *phone_row;
  GtkWidget        *photo_picker;
  GtkWidget        *status_label;
  GtkWidget        *create_button;
  GtkWidget        *cancel_button;
  GtkWidget        *spinner;
  GtkWidget        *nearby_group;    /* open reports of the chosen category nearby */
  GtkWidget        *nearby_list;
  GCancellable     *nearby_cancellable;
  GtkWidget        *place_search;    /* places matching the typed address */
  GtkWidget        *map_view;        /* the place, with its pin */
};

G_DEFINE_FINAL_TYPE (KsCreateReportDialog, ks_create_report_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void fetch_nearby (KsCreateReportDialog *self);

static void
question_free (Question *q)
{
  g_free (q->code);
  g_free (q->description);
  g_free (q->datatype);
  g_clear_pointer (&q->keys, g_ptr_array_unref);
  g_clear_pointer (&q->checks, g_ptr_array_unref);
  g_free (q);
}

static gboolean
for_resident (KsCreateReportDialog *self)
{
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (self->resident_check));
}

static const char *
entry_text (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static JsonArray *
category_object (KsCreateReportDialog *self,
                 gint64                id,
                 JsonObject          **out)
{
  JsonArray *categories = self->session ? ks_session_get_categories (self->session) : NULL;

  *out = NULL;
  for (guint i = 0; categories && i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);
      if (c != NULL && json_object_get_int_member_with_default (c, "id", 0) == id)
        *out = c;
    }
  return categories;
}

/* The answers of a question: NULL when unanswered; a string, or for a
 * multivaluelist a JsonArray node. */
static JsonNode *
question_answer (Question *q)
{
  if (ADW_IS_COMBO_ROW (q->row))
    {
      guint sel = adw_combo_row_get_selected (ADW_COMBO_ROW (q->row));
      JsonNode *node;

      if (sel == 0 || sel == GTK_INVALID_LIST_POSITION || sel > q->keys->len)
        return NULL;
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, g_ptr_array_index (q->keys, sel - 1));
      return node;
    }
  if (q->checks != NULL)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < q->checks->len; i++)
        if (gtk_check_button_get_active (g_ptr_array_index (q->checks, i)))
          json_array_add_string_element (array, g_ptr_array_index (q->keys, i));
      if (json_array_get_length (array) == 0)
        {
          json_array_unref (array);
          return NULL;
        }
      return json_node_init_array (json_node_alloc (), array);
    }
  if (ADW_IS_ENTRY_ROW (q->row))
    {
      const char *text = entry_text (q->row);
      JsonNode *node;

      if (is_blank (text))
        return NULL;
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, text);
      return node;
    }
  return NULL;
}

static gboolean
is_number (const char *text)
{
  char *end = NULL;
  double d;

  while (g_ascii_isspace (*text))
    text++;
  d = g_ascii_strtod (text, &end);
  if (end == text)
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  return *end == '\0' && isfinite (d);
}

/* What is still missing, as a sentence, or NULL when the report can be sent. */
static char *
missing_sentence (KsCreateReportDialog *self)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->detail_view));
  GtkTextIter start, end;
  g_autofree char *detail = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  detail = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  if (ks_create_report_dialog_get_category_id (self) == 0)
    g_ptr_array_add (missing, g_strdup (_("the category")));
  if (is_blank (entry_text (self->title_row)))
    g_ptr_array_add (missing, g_strdup (_("a title")));
  if (is_blank (detail))
    g_ptr_array_add (missing, g_strdup (_("a description")));
  for (guint i = 0; i < self->questions->len; i++)
    {
      Question *q = g_ptr_array_index (self->questions, i);
      g_autoptr(JsonNode) answer = question_answer (q);

      if (answer == NULL && q->required)
        g_ptr_array_add (missing, g_strdup_printf ("“%s”", q->description));
      else if (answer != NULL && g_strcmp0 (q->datatype, "number") == 0 &&
               !is_number (json_node_get_string (answer)))
        g_ptr_array_add (missing, g_strdup_printf (_("a number for “%s”"), q->description));
    }
  if (for_resident (self) && is_blank (entry_text (self->name_row)))
    g_ptr_array_add (missing, g_strdup (_("the resident’s name")));

  if (missing->len == 0)
    return NULL;
  g_ptr_array_add (missing, NULL);
  list = g_strjoinv (", ", (char **) missing->pdata);
  return g_strdup_printf (_("Still needed: %s."), list);
}

static void
on_changed (KsCreateReportDialog *self)
{
  g_autofree char *missing = NULL;

  gtk_widget_set_sensitive (self->name_row, for_resident (self));
  gtk_widget_set_sensitive (self->email_row, for_resident (self));
  gtk_widget_set_sensitive (self->phone_row, for_resident (self));
  if (self->busy)
    return;
  missing = missing_sentence (self);
  gtk_widget_set_sensitive (self->create_button, missing == NULL);
  gtk_widget_remove_css_class (self->status_label, "error");
  gtk_widget_add_css_class (self->status_label, "dim-label");
  gtk_label_set_text (GTK_LABEL (self->status_label), missing ? missing : "");
  gtk_widget_set_visible (self->status_label, missing != NULL);
}

/* Questions */

static const char *
member_string (JsonObject *o,
               const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

static char *
value_text (JsonObject *o,
            const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return g_strdup ("");
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  return g_strdup ("");
}

static int
by_order (gconstpointer a,
          gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;
  gint64 ox = json_object_get_int_member_with_default (x, "order", 0);
  gint64 oy = json_object_get_int_member_with_default (y, "order", 0);

  return ox < oy ? -1 : ox > oy;
}

static void
clear_questions (KsCreateReportDialog *self)
{
  for (guint i = 0; i < self->questions->len; i++)
    {
      Question *q = g_ptr_array_index (self->questions, i);
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->questions_group), q->row);
    }
  g_ptr_array_set_size (self->questions, 0);
  gtk_widget_set_visible (self->questions_group, FALSE);
}

static Question *
add_question (KsCreateReportDialog *self,
              JsonObject           *o)
{
  Question *q = g_new0 (Question, 1);
  JsonNode *values = json_object_get_member (o, "values");
  JsonArray *list = values && JSON_NODE_HOLDS_ARRAY (values) ? json_node_get_array (values) : NULL;
  g_autofree char *title = NULL;

  q->code = g_strdup (member_string (o, "code"));
  q->description = g_strdup (member_string (o, "description") ? member_string (o, "description") : q->code);
  q->datatype = g_strdup (member_string (o, "datatype") ? member_string (o, "datatype") : "string");
  q->required = json_object_get_boolean_member_with_default (o, "required", FALSE);
  title = q->required ? g_strdup (q->description) : g_strdup_printf (_("%s (optional)"), q->description);

  if ((g_str_equal (q->datatype, "singlevaluelist") || g_str_equal (q->datatype, "multivaluelist"))
      && list != NULL)
    {
      gboolean multi = g_str_equal (q->datatype, "multivaluelist");
      GtkStringList *names = gtk_string_list_new (NULL);

      q->keys = g_ptr_array_new_with_free_func (g_free);
      if (multi)
        {
          q->checks = g_ptr_array_new ();
          q->row = adw_expander_row_new ();
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (q->row), TRUE);
          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (q->row), _("Choose any that apply"));
        }
      else
        {
          q->row = adw_combo_row_new ();
          gtk_string_list_append (names, q->required ? _("Choose an answer") : _("Not answered"));
        }
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *v = json_array_get_object_element (list, i);
          g_autofree char *key = NULL, *name = NULL;

          if (v == NULL)
            continue;
          key = value_text (v, "key");
          name = value_text (v, "name");
          g_ptr_array_add (q->keys, g_strdup (key));
          if (multi)
            {
              GtkWidget *row = adw_action_row_new ();
              GtkWidget *check = gtk_check_button_new ();

              adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), *name ? name : key);
              gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
              adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
              adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
              g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_changed), self);
              adw_expander_row_add_row (ADW_EXPANDER_ROW (q->row), row);
              g_ptr_array_add (q->checks, check);
            }
          else
            gtk_string_list_append (names, *name ? name : key);
        }
      if (!multi)
        {
          adw_combo_row_set_model (ADW_COMBO_ROW (q->row), G_LIST_MODEL (names));
          adw_combo_row_set_selected (ADW_COMBO_ROW (q->row), 0);
          g_signal_connect_swapped (q->row, "notify::selected", G_CALLBACK (on_changed), self);
        }
      g_object_unref (names);
    }
  else
    {
      q->row = adw_entry_row_new ();
      if (g_str_equal (q->datatype, "number"))
        gtk_editable_set_alignment (GTK_EDITABLE (q->row), 0);
      g_signal_connect_swapped (q->row, "changed", G_CALLBACK (on_changed), self);
      if (g_str_equal (q->datatype, "number"))
        g_object_set (q->row, "input-purpose", GTK_INPUT_PURPOSE_NUMBER, NULL);
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (q->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (q->row), title);
  gtk_widget_set_name (q->row, q->code);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->questions_group), q->row);
  g_ptr_array_add (self->questions, q);
  return q;
}

static void
on_category_changed (KsCreateReportDialog *self)
{
  JsonObject *category = NULL;
  JsonNode *extra;
  g_autoptr(GPtrArray) asked = g_ptr_array_new ();

  clear_questions (self);
  category_object (self, ks_create_report_dialog_get_category_id (self), &category);
  extra = category ? json_object_get_member (category, "extra") : NULL;
  if (extra != NULL && JSON_NODE_HOLDS_ARRAY (extra))
    {
      JsonArray *array = json_node_get_array (extra);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *o = json_array_get_object_element (array, i);
          const char *automated;

          if (o == NULL || member_string (o, "code") == NULL)
            continue;
          /* The server and the client's map fill these in; nobody asks a caller. */
          automated = member_string (o, "automated");
          if (automated != NULL)
            continue;
          if (!json_object_get_boolean_member_with_default (o, "variable", TRUE))
            continue;
          g_ptr_array_add (asked, o);
        }
      g_ptr_array_sort (asked, by_order);
      for (guint i = 0; i < asked->len; i++)
        add_question (self, g_ptr_array_index (asked, i));
    }
  if (self->questions->len > 0)
    {
      JsonObject *c = category;
      g_autofree char *description = g_strdup_printf (_("Asked for %s reports"),
                                                      json_object_get_string_member_with_default (c, "name", ""));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->questions_group), description);
      gtk_widget_set_visible (self->questions_group, TRUE);
    }
  fetch_nearby (self);
  on_changed (self);
}

/* Nearby reports: the open reports of the chosen category around the place,
 * so that staff can open one instead of creating the same report again. */

static void
clear_nearby (KsCreateReportDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->nearby_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->nearby_list), child);
}

static void
nearby_note (KsCreateReportDialog *self,
             const char           *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (GTK_LIST_BOX (self->nearby_list), row);
}

static void
on_nearby (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KsCreateReportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = ks_session_nearby_finish (KS_SESSION (source), result, &error);
  JsonArray *reports;
  guint n;

  if (answer == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  clear_nearby (self);
  if (answer == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The reports nearby could not be fetched: %s"),
                                               error->message);
      nearby_note (self, text);
      return;
    }
  reports = json_object_has_member (answer, "reports") &&
            JSON_NODE_HOLDS_ARRAY (json_object_get_member (answer, "reports"))
            ? json_object_get_array_member (answer, "reports") : NULL;
  n = reports ? json_array_get_length (reports) : 0;
  if (n == 0)
    {
      nearby_note (self, _("No open report of this category nearby."));
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonObject *r = json_array_get_object_element (reports, i);
      const KsState *state;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *icon;
      gint64 id;

      if (r == NULL)
        continue;
      id = json_object_get_int_member_with_default (r, "id", 0);
      state = ks_state_lookup (json_object_get_string_member_with_default (r, "state", ""));
      title = g_strdup_printf ("#%" G_GINT64_FORMAT " %s", id,
                               json_object_get_string_member_with_default (r, "title", ""));
      subtitle = g_strdup_printf (_("%" G_GINT64_FORMAT " m away · %s"),
                                  json_object_get_int_member_with_default (r, "distance", 0),
                                  state ? state->label : "");
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, _("Open this report instead of creating a new one"));
      icon = gtk_image_new_from_icon_name ("go-next-symbolic");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      ks_object_set_int64 (row, "ks-report-id", id);
      gtk_list_box_append (GTK_LIST_BOX (self->nearby_list), row);
    }
}

static void
fetch_nearby (KsCreateReportDialog *self)
{
  gint64 category_id = ks_create_report_dialog_get_category_id (self);

  g_cancellable_cancel (self->nearby_cancellable);
  g_clear_object (&self->nearby_cancellable);
  clear_nearby (self);
  gtk_widget_set_visible (self->nearby_group, category_id != 0 && self->session != NULL);
  if (category_id == 0 || self->session == NULL)
    return;
  nearby_note (self, _("Looking for open reports nearby…"));
  self->nearby_cancellable = g_cancellable_new ();
  ks_session_nearby_point_async (self->session, self->lat, self->lon, category_id,
                                 self->nearby_cancellable, on_nearby, g_object_ref (self));
}

/* Opens the report in the main window, and closes the dialog: nothing is made. */
static void
on_nearby_activated (KsCreateReportDialog *self,
                     GtkListBoxRow        *row)
{
  gint64 id = ks_object_get_int64 (row, "ks-report-id");
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (id <= 0 || self->busy)
    return;
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-report", "x", id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
build_nearby (KsCreateReportDialog *self)
{
  GtkWidget *category_group = gtk_widget_get_ancestor (self->category_row, ADW_TYPE_PREFERENCES_GROUP);

  self->nearby_group = adw_preferences_group_new ();
  gtk_widget_set_name (self->nearby_group, "nearby");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->nearby_group),
                                   _("Already Reported Nearby?"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->nearby_group),
                                         _("Open reports of this category around the place, "
                                           "nearest first. Open one instead of creating it again."));
  self->nearby_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->nearby_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->nearby_list, "boxed-list");
  g_signal_connect_swapped (self->nearby_list, "row-activated", G_CALLBACK (on_nearby_activated), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->nearby_group), self->nearby_list);
  gtk_widget_set_visible (self->nearby_group, FALSE);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (category_group)),
                              self->nearby_group, category_group);
}

/* Sending */

static void
set_busy (KsCreateReportDialog *self,
          gboolean              busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_visible (self->spinner, busy);
  gtk_widget_set_sensitive (self->create_button, !busy);
}

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KsCreateReportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;
  gint64 id = 0;

  if (!ks_session_create_report_finish (KS_SESSION (source), result, &id, &queued, &error))
    {
      set_busy (self, FALSE);
      on_changed (self);
      gtk_label_set_text (GTK_LABEL (self->status_label), error->message);
      gtk_widget_remove_css_class (self->status_label, "dim-label");
      gtk_widget_add_css_class (self->status_label, "error");
      gtk_widget_set_visible (self->status_label, TRUE);
      return;
    }
  set_busy (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, id, queued);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_create_clicked (KsCreateReportDialog *self)
{
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *missing = missing_sentence (self);

  if (self->busy || self->session == NULL || missing != NULL)
    return;
  body = ks_create_report_dialog_get_body (self);
  set_busy (self, TRUE);
  ks_session_create_report_from_json_async (self->session, body,
                                            ks_create_report_dialog_get_photo (self),
                                            NULL, on_created, g_object_ref (self));
}

static void
on_cancel_clicked (KsCreateReportDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

/* Place */

static void
describe_place (KsCreateReportDialog *self,
                gboolean              fill_address)
{
  g_auto(KsPlace) place = { 0 };
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  ks_place_describe (self->session ? ks_session_get_reports (self->session) : NULL,
                     self->session ? ks_session_get_cache (self->session) : NULL,
                     self->lat, self->lon, &place);
  if (place.street != NULL)
    {
      title = g_strdup_printf (_("Near %s"), place.street);
      if (fill_address)
        ks_place_search_set_entry_text (KS_PLACE_SEARCH (self->place_search), place.street);
    }
  else
    title = g_strdup (_("No known street nearby"));
  if (place.ward != NULL)
    subtitle = g_strdup_printf (_("%s ward"), place.ward);
  else
    subtitle = g_strdup (_("Ward not known: no report nearby has one"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->place_row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->place_row), subtitle);
  g_free (self->place_text);
  self->place_text = g_strdup_printf ("%s, %s", title, subtitle);
}

/* The place's map shows the pin where the report goes. */
static void
show_pin (KsCreateReportDialog *self)
{
  ks_map_view_show_pin (KS_MAP_VIEW (self->map_view), self->lat, self->lon);
  ks_map_view_center_on (KS_MAP_VIEW (self->map_view), self->lat, self->lon, 17);
}

/* A place chosen among those matching the typed address: the report goes
 * there, with the place's name as its address. */
static void
on_place_chosen (KsCreateReportDialog *self,
                 JsonObject           *place)
{
  g_autofree char *address = ks_places_describe (place);

  if (self->busy)
    return;
  self->lat = json_object_get_double_member_with_default (place, "lat", self->lat);
  self->lon = json_object_get_double_member_with_default (place, "lon", self->lon);
  ks_place_search_set_entry_text (KS_PLACE_SEARCH (self->place_search), address);
  describe_place (self, FALSE);
  show_pin (self);
  fetch_nearby (self);
}

static void
build_place (KsCreateReportDialog *self)
{
  GtkWidget *place_group = gtk_widget_get_ancestor (self->place_row, ADW_TYPE_PREFERENCES_GROUP);
  GtkWidget *frame;

  self->place_search = ks_place_search_new (_("Places Matching the Address"));
  gtk_widget_set_name (self->place_search, "address-places");
  ks_place_search_attach (KS_PLACE_SEARCH (self->place_search), GTK_EDITABLE (self->address_row));
  g_signal_connect_swapped (self->place_search, "place-chosen", G_CALLBACK (on_place_chosen), self);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (place_group)),
                              self->place_search, place_group);

  self->map_view = ks_map_view_new ();
  ks_map_view_set_interactive (KS_MAP_VIEW (self->map_view), FALSE);
  gtk_widget_set_focusable (self->map_view, FALSE);
  gtk_widget_set_size_request (self->map_view, -1, 160);
  frame = gtk_frame_new (NULL);
  gtk_widget_set_margin_top (frame, 12);
  gtk_frame_set_child (GTK_FRAME (frame), self->map_view);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (place_group), frame);
}

/* Class */

static gboolean
ks_create_report_dialog_close_request (GtkWindow *window)
{
  /* The answer is on its way: closing now would hide what became of it. */
  return KS_CREATE_REPORT_DIALOG (window)->busy;
}

static void
ks_create_report_dialog_finalize (GObject *object)
{
  KsCreateReportDialog *self = KS_CREATE_REPORT_DIALOG (object);

  g_array_unref (self->category_ids);
  g_ptr_array_unref (self->questions);
  g_free (self->detail);
  g_free (self->place_text);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ks_create_report_dialog_parent_class)->finalize (object);
}

static void
ks_create_report_dialog_dispose (GObject *object)
{
  KsCreateReportDialog *self = KS_CREATE_REPORT_DIALOG (object);

  g_cancellable_cancel (self->nearby_cancellable);
  g_clear_object (&self->nearby_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), KS_TYPE_CREATE_REPORT_DIALOG);
  G_OBJECT_CLASS (ks_create_report_dialog_parent_class)->dispose (object);
}

static void
ks_create_report_dialog_class_init (KsCreateReportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->finalize = ks_create_report_dialog_finalize;
  object_class->dispose = ks_create_report_dialog_dispose;
  window_class->close_request = ks_create_report_dialog_close_request;

  /* The report was accepted (id > 0) or saved to be sent later (queued, id 0). */
  signals[SIGNAL_CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                          G_TYPE_INT64, G_TYPE_BOOLEAN);

  g_type_ensure (KS_TYPE_PHOTO_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-create-report-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, photo_picker);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, place_row);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, category_row);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, category_model);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, detail_view);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, questions_group);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, resident_check);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, council_check);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, phone_row);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KsCreateReportDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_category_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ks_create_report_dialog_init (KsCreateReportDialog *self)
{
  self->category_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->detail_view)), "changed",
                            G_CALLBACK (on_changed), self);
  build_nearby (self);
  build_place (self);
}

GtkWidget *
ks_create_report_dialog_new (GtkWindow *parent,
                             KsSession *session,
                             double     lat,
                             double     lon)
{
  KsCreateReportDialog *self;
  JsonArray *categories;

  g_return_val_if_fail (KS_IS_SESSION (session), NULL);

  self = g_object_new (KS_TYPE_CREATE_REPORT_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->lat = lat;
  self->lon = lon;
  ks_place_search_set_session (KS_PLACE_SEARCH (self->place_search), session);
  describe_place (self, TRUE);
  show_pin (self);

  /* Nothing is chosen until the person chooses. */
  gtk_string_list_append (self->category_model, _("Choose a category"));
  categories = ks_session_get_categories (session);
  for (guint i = 0; categories && i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);
      gint64 id;

      if (c == NULL || !json_object_get_boolean_member_with_default (c, "active", TRUE))
        continue;
      id = json_object_get_int_member_with_default (c, "id", 0);
      gtk_string_list_append (self->category_model, json_object_get_string_member_with_default (c, "name", ""));
      g_array_append_val (self->category_ids, id);
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->category_row), 0);
  on_changed (self);
  gtk_widget_grab_focus (self->category_row);

  return GTK_WIDGET (self);
}

void
ks_create_report_dialog_get_location (KsCreateReportDialog *self,
                                      double               *lat,
                                      double               *lon)
{
  g_return_if_fail (KS_IS_CREATE_REPORT_DIALOG (self));
  *lat = self->lat;
  *lon = self->lon;
}

void
ks_create_report_dialog_set_tile_source (KsCreateReportDialog *self,
                                         const char           *url_template)
{
  g_return_if_fail (KS_IS_CREATE_REPORT_DIALOG (self));
  ks_map_view_set_tile_source (KS_MAP_VIEW (self->map_view), url_template);
}

GtkWidget *
ks_create_report_dialog_get_place_search (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return self->place_search;
}

GtkWidget *
ks_create_report_dialog_get_address_row (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return self->address_row;
}

GtkWidget *
ks_create_report_dialog_get_map_view (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return self->map_view;
}

const char *
ks_create_report_dialog_get_place (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return self->place_text;
}

gint64
ks_create_report_dialog_get_category_id (KsCreateReportDialog *self)
{
  guint sel;

  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), 0);

  sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->category_row));
  if (sel == GTK_INVALID_LIST_POSITION || sel == 0 || sel > self->category_ids->len)
    return 0;
  return g_array_index (self->category_ids, gint64, sel - 1);
}

gboolean
ks_create_report_dialog_select_category (KsCreateReportDialog *self,
                                         gint64                category_id)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), FALSE);

  for (guint i = 0; i < self->category_ids->len; i++)
    if (g_array_index (self->category_ids, gint64, i) == category_id)
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->category_row), i + 1);
        return TRUE;
      }
  return FALSE;
}

const char *
ks_create_report_dialog_get_title (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->title_row));
}

const char *
ks_create_report_dialog_get_detail (KsCreateReportDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->detail_view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_free (self->detail);
  self->detail = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return self->detail;
}

static const char *
optional_text (KsCreateReportDialog *self,
               GtkWidget            *row)
{
  const char *text;

  if (!for_resident (self))
    return NULL;
  text = gtk_editable_get_text (GTK_EDITABLE (row));
  return is_blank (text) ? NULL : text;
}

const char *
ks_create_report_dialog_get_reporter_name (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return optional_text (self, self->name_row);
}

const char *
ks_create_report_dialog_get_reporter_email (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return optional_text (self, self->email_row);
}

const char *
ks_create_report_dialog_get_reporter_phone (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return optional_text (self, self->phone_row);
}

GtkWidget *
ks_create_report_dialog_get_question_row (KsCreateReportDialog *self,
                                          const char           *code)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);

  for (guint i = 0; i < self->questions->len; i++)
    {
      Question *q = g_ptr_array_index (self->questions, i);
      if (g_strcmp0 (q->code, code) == 0)
        return q->row;
    }
  return NULL;
}

guint
ks_create_report_dialog_get_n_questions (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), 0);
  return self->questions->len;
}

GtkWidget *
ks_create_report_dialog_get_create_button (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return self->create_button;
}

const char *
ks_create_report_dialog_get_status (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return gtk_widget_get_visible (self->status_label)
         ? gtk_label_get_text (GTK_LABEL (self->status_label)) : "";
}

JsonObject *
ks_create_report_dialog_get_body (KsCreateReportDialog *self)
{
  JsonObject *body = json_object_new ();
  JsonObject *answers = json_object_new ();
  g_autofree char *title = g_strstrip (g_strdup (entry_text (self->title_row)));
  const char *address;

  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);

  json_object_set_int_member (body, "category_id", ks_create_report_dialog_get_category_id (self));
  json_object_set_string_member (body, "title", title);
  json_object_set_string_member (body, "detail", ks_create_report_dialog_get_detail (self));
  json_object_set_double_member (body, "lat", self->lat);
  json_object_set_double_member (body, "lon", self->lon);
  address = entry_text (self->address_row);
  if (!is_blank (address))
    json_object_set_string_member (body, "address", address);
  if (for_resident (self))
    {
      JsonObject *reporter = json_object_new ();
      const char *email = ks_create_report_dialog_get_reporter_email (self);
      const char *phone = ks_create_report_dialog_get_reporter_phone (self);

      json_object_set_string_member (reporter, "name", entry_text (self->name_row));
      if (email != NULL)
        json_object_set_string_member (reporter, "email", email);
      if (phone != NULL)
        json_object_set_string_member (reporter, "phone", phone);
      json_object_set_object_member (body, "reporter", reporter);
    }
  else
    json_object_set_boolean_member (body, "as_council", TRUE);
  for (guint i = 0; i < self->questions->len; i++)
    {
      Question *q = g_ptr_array_index (self->questions, i);
      JsonNode *answer = question_answer (q);

      if (answer != NULL)
        json_object_set_member (answers, q->code, answer);
    }
  if (json_object_get_size (answers) > 0)
    json_object_set_object_member (body, "attributes", answers);
  else
    json_object_unref (answers);
  return body;
}

void
ks_create_report_dialog_fill (KsCreateReportDialog *self,
                              gint64                category_id,
                              const char           *title,
                              const char           *detail,
                              const char           *reporter_name)
{
  g_return_if_fail (KS_IS_CREATE_REPORT_DIALOG (self));

  ks_create_report_dialog_select_category (self, category_id);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title ? title : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->detail_view)),
                            detail ? detail : "", -1);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (reporter_name ? self->resident_check : self->council_check), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), reporter_name ? reporter_name : "");
}

void
ks_create_report_dialog_submit (KsCreateReportDialog *self)
{
  g_return_if_fail (KS_IS_CREATE_REPORT_DIALOG (self));
  if (gtk_widget_is_sensitive (self->create_button))
    gtk_widget_activate (self->create_button);
}

GBytes *
ks_create_report_dialog_get_photo (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return ks_photo_picker_get_photo (KS_PHOTO_PICKER (self->photo_picker));
}

char **
ks_create_report_dialog_get_nearby (KsCreateReportDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  if (gtk_widget_get_visible (self->nearby_group))
    for (GtkWidget *row = gtk_widget_get_first_child (self->nearby_list); row;
         row = gtk_widget_get_next_sibling (row))
      {
        const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
        g_autofree char *text = g_strdup_printf ("%s\n%s",
                                                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                                 subtitle ? subtitle : "");
        g_strv_builder_add (builder, text);
      }
  return g_strv_builder_end (builder);
}

gboolean
ks_create_report_dialog_open_nearby (KsCreateReportDialog *self,
                                     gint64                report_id)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), FALSE);
  for (GtkWidget *row = gtk_widget_get_first_child (self->nearby_list); row;
       row = gtk_widget_get_next_sibling (row))
    if (ks_object_get_int64 (row, "ks-report-id") == report_id)
      {
        g_signal_emit_by_name (self->nearby_list, "row-activated", row);
        return TRUE;
      }
  return FALSE;
}

GtkWidget *
ks_create_report_dialog_get_nearby_group (KsCreateReportDialog *self)
{
  g_return_val_if_fail (KS_IS_CREATE_REPORT_DIALOG (self), NULL);
  return self->nearby_group;
}
