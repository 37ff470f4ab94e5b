/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-correct.c: the detail's corrections facet: the report's
 * answers to its category's questions (a group above the timeline), and the
 * actions that correct the report (change its category, move it by typing its
 * coordinates, edit its answers), offered to holders of update_status or
 * moderate_report. Each dialog asks the category's questions with a widget per
 * kind of question; the answer goes through the session (the outbox when
 * offline) and the detail shows the result. */
#define G_LOG_DOMAIN "ks-report-detail"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <string.h>

#include "ks-report-detail-private.h"

#define ANSWERS_GROUP_KEY "ks-answers-group"

/* ---- the category's questions ---- */

static JsonObject *
find_category (KsSession *session,
               gint64     category_id)
{
  JsonArray *categories = ks_session_get_categories (session);

  for (guint i = 0; categories && i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);
      if (c && json_object_get_int_member_with_default (c, "id", 0) == category_id)
        return c;
    }
  return NULL;
}

/* The questions staff answer (not information-only, not automated). */
static GPtrArray *
category_questions (JsonObject *category)
{
  GPtrArray *out = g_ptr_array_new ();
  JsonNode *extra = category ? json_object_get_member (category, "extra") : NULL;

  if (extra == NULL || !JSON_NODE_HOLDS_ARRAY (extra))
    return out;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (extra)); i++)
    {
      JsonObject *q = json_array_get_object_element (json_node_get_array (extra), i);
      JsonNode *variable;

      if (q == NULL || !json_object_has_member (q, "code"))
        continue;
      variable = json_object_get_member (q, "variable");
      if (variable && JSON_NODE_HOLDS_VALUE (variable) &&
          json_node_get_value_type (variable) == G_TYPE_BOOLEAN && !json_node_get_boolean (variable))
        continue;
      if (json_object_has_member (q, "automated"))
        continue;
      g_ptr_array_add (out, q);
    }
  return out;
}

static char *
value_text (JsonObject *o,
            const char *member)
{
  JsonNode *n = o ? json_object_get_member (o, member) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return g_strdup ("");
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
  return g_strdup ("");
}

/* The report's answers to code, from the detail's "attributes". */
static GPtrArray *
answers_to (JsonObject *detail,
            const char *code)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node = detail ? json_object_get_member (detail, "attributes") : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return out;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonObject *a = json_array_get_object_element (json_node_get_array (node), i);
      if (a && g_strcmp0 (json_object_get_string_member_with_default (a, "code", NULL), code) == 0)
        g_ptr_array_add (out, g_strdup (json_object_get_string_member_with_default (a, "value", "")));
    }
  return out;
}

/* The name a list question gives a key (the key when it lists none). */
static char *
value_name (JsonObject *question,
            const char *key)
{
  JsonNode *values = json_object_get_member (question, "values");

  for (guint i = 0; values && JSON_NODE_HOLDS_ARRAY (values) &&
                    i < json_array_get_length (json_node_get_array (values)); i++)
    {
      JsonObject *v = json_array_get_object_element (json_node_get_array (values), i);
      g_autofree char *k = value_text (v, "key");

      if (g_strcmp0 (k, key) == 0)
        return value_text (v, "name");
    }
  return g_strdup (key);
}

/* A form of the questions: one widget per question, named "question-CODE". */
typedef struct {
  GtkWidget *box;
  GPtrArray *questions;   /* JsonObject, borrowed from the session's categories */
} QuestionForm;

static void
question_form_fill (QuestionForm *form,
                    JsonObject   *category,
                    JsonObject   *detail)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (form->box)) != NULL)
    gtk_box_remove (GTK_BOX (form->box), child);
  g_clear_pointer (&form->questions, g_ptr_array_unref);
  form->questions = category_questions (category);

  for (guint i = 0; i < form->questions->len; i++)
    {
      JsonObject *q = g_ptr_array_index (form->questions, i);
      const char *code = json_object_get_string_member (q, "code");
      const char *datatype = json_object_get_string_member_with_default (q, "datatype", "string");
      gboolean required = json_object_get_boolean_member_with_default (q, "required", FALSE);
      g_autofree char *name = g_strdup_printf ("question-%s", code);
      g_autofree char *caption = g_strdup_printf (required ? _("%s (required)") : "%s",
                                                  json_object_get_string_member_with_default (q, "description", code));
      g_autoptr(GPtrArray) have = answers_to (detail, code);
      JsonNode *values = json_object_get_member (q, "values");
      JsonArray *list = values && JSON_NODE_HOLDS_ARRAY (values) ? json_node_get_array (values) : NULL;
      GtkWidget *label = gtk_label_new (caption);
      GtkWidget *widget;

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (form->box), label);

      if (g_str_equal (datatype, "singlevaluelist") && list)
        {
          g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
          guint selected = 0;

          gtk_string_list_append (names, _("No answer"));
          for (guint k = 0; k < json_array_get_length (list); k++)
            {
              JsonObject *v = json_array_get_object_element (list, k);
              g_autofree char *key = value_text (v, "key");
              g_autofree char *vname = value_text (v, "name");

              gtk_string_list_append (names, *vname ? vname : key);
              if (have->len > 0 && g_str_equal (g_ptr_array_index (have, 0), key))
                selected = k + 1;
            }
          widget = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
          gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), selected);
        }
      else if (g_str_equal (datatype, "multivaluelist") && list)
        {
          widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
          for (guint k = 0; k < json_array_get_length (list); k++)
            {
              JsonObject *v = json_array_get_object_element (list, k);
              g_autofree char *key = value_text (v, "key");
              g_autofree char *vname = value_text (v, "name");
              GtkWidget *check = gtk_check_button_new_with_label (*vname ? vname : key);

              g_object_set_data_full (G_OBJECT (check), "ks-key", g_strdup (key), g_free);
              for (guint h = 0; h < have->len; h++)
                if (g_str_equal (g_ptr_array_index (have, h), key))
                  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
              gtk_box_append (GTK_BOX (widget), check);
            }
        }
      else
        {
          widget = gtk_entry_new ();
          if (have->len > 0)
            gtk_editable_set_text (GTK_EDITABLE (widget), g_ptr_array_index (have, 0));
          if (g_str_equal (datatype, "number"))
            gtk_entry_set_input_purpose (GTK_ENTRY (widget), GTK_INPUT_PURPOSE_NUMBER);
        }
      gtk_widget_set_name (widget, name);
      g_object_set_data (G_OBJECT (widget), "ks-question", q);
      gtk_box_append (GTK_BOX (form->box), widget);
    }
}

/* The answers as the API takes them: {"CODE": value, [values] or null}. */
static JsonObject *
question_form_answers (QuestionForm *form)
{
  JsonObject *out = json_object_new ();

  for (GtkWidget *w = gtk_widget_get_first_child (form->box); w; w = gtk_widget_get_next_sibling (w))
    {
      JsonObject *q = g_object_get_data (G_OBJECT (w), "ks-question");
      const char *code;

      if (q == NULL)
        continue;
      code = json_object_get_string_member (q, "code");
      if (GTK_IS_DROP_DOWN (w))
        {
          guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (w));
          JsonArray *list = json_object_get_array_member (q, "values");

          if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
            json_object_set_null_member (out, code);
          else
            json_object_set_string_member (out, code, value_text (json_array_get_object_element (list, selected - 1), "key"));
        }
      else if (GTK_IS_BOX (w))
        {
          JsonArray *keys = json_array_new ();

          for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
            if (gtk_check_button_get_active (GTK_CHECK_BUTTON (c)))
              json_array_add_string_element (keys, g_object_get_data (G_OBJECT (c), "ks-key"));
          json_object_set_array_member (out, code, keys);
        }
      else
        {
          const char *text = gtk_editable_get_text (GTK_EDITABLE (w));
          g_autofree char *stripped = g_strstrip (g_strdup (text));

          if (*stripped == '\0')
            json_object_set_null_member (out, code);
          else
            json_object_set_string_member (out, code, stripped);
        }
    }
  return out;
}

/* ---- the answers shown ---- */

void
ks_report_detail_correct_show_answers (KsReportDetail *self)
{
  GtkWidget *group = g_object_get_data (G_OBJECT (self), ANSWERS_GROUP_KEY);
  GtkWidget *timeline = ks_report_detail_get_timeline_group (self);
  JsonObject *detail = ks_report_detail_get_detail (self);
  KsSession *session = ks_report_detail_get_session (self);
  JsonNode *node = detail ? json_object_get_member (detail, "attributes") : NULL;
  JsonObject *category = NULL;
  GtkWidget *list, *child;
  guint n = 0;

  if (timeline == NULL)
    return;
  if (group == NULL)
    {
      GtkWidget *parent = gtk_widget_get_parent (timeline);

      if (!GTK_IS_BOX (parent))
        return;
      group = adw_preferences_group_new ();
      gtk_widget_set_name (group, "answers-group");
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Answers"));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             _("The reporter’s answers to the category’s questions"));
      list = gtk_list_box_new ();
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
      g_object_set_data (G_OBJECT (group), "ks-list", list);
      gtk_box_insert_child_after (GTK_BOX (parent), group, gtk_widget_get_prev_sibling (timeline));
      g_object_set_data (G_OBJECT (self), ANSWERS_GROUP_KEY, group);
    }
  list = g_object_get_data (G_OBJECT (group), "ks-list");
  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);

  if (session && ks_report_detail_get_report (self))
    category = find_category (session, ks_report_get_category_id (ks_report_detail_get_report (self)));
  for (guint i = 0; node && JSON_NODE_HOLDS_ARRAY (node) && i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonObject *a = json_array_get_object_element (json_node_get_array (node), i);
      const char *code = json_object_get_string_member_with_default (a, "code", "");
      const char *value = json_object_get_string_member_with_default (a, "value", "");
      g_autoptr(GPtrArray) questions = category_questions (category);
      g_autofree char *shown = NULL;
      const char *title = code;
      GtkWidget *row = adw_action_row_new ();

      for (guint q = 0; q < questions->len; q++)
        if (g_str_equal (json_object_get_string_member (g_ptr_array_index (questions, q), "code"), code))
          {
            title = json_object_get_string_member_with_default (g_ptr_array_index (questions, q), "description", code);
            shown = value_name (g_ptr_array_index (questions, q), value);
          }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown ? shown : value);
      gtk_widget_set_name (row, "answer-row");
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      n++;
    }
  gtk_widget_set_visible (group, n > 0);
}

char *
ks_report_detail_get_answers_text (KsReportDetail *self)
{
  GtkWidget *group = g_object_get_data (G_OBJECT (self), ANSWERS_GROUP_KEY);
  GString *out = g_string_new (NULL);
  GtkWidget *list;

  if (group == NULL || !gtk_widget_get_visible (group))
    return g_string_free (out, FALSE);
  list = g_object_get_data (G_OBJECT (group), "ks-list");
  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_string_append_printf (out, "%s%s: %s", out->len ? "\n" : "",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  return g_string_free (out, FALSE);
}

/* ---- the dialogs ---- */

typedef struct {
  KsReportDetail *detail;
  KsReport       *report;
  char           *action;
  QuestionForm    form;
  GtkWidget      *category_picker;
  GArray         *category_ids;   /* gint64, in the picker's order */
  GtkWidget      *lat_entry;
  GtkWidget      *lon_entry;
  GtkWidget      *address_entry;
} Correction;

static void
correction_free (Correction *c)
{
  g_clear_object (&c->detail);
  g_clear_object (&c->report);
  g_free (c->action);
  g_clear_pointer (&c->form.questions, g_ptr_array_unref);
  g_clear_pointer (&c->category_ids, g_array_unref);
  g_free (c);
}

static gboolean
parse_degrees (GtkWidget *entry,
               double     min,
               double     max,
               double    *out)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && *out >= min && *out <= max;
}

static void
on_location_changed (GtkEditable      *editable,
                     AdwMessageDialog *dialog)
{
  Correction *c = g_object_get_data (G_OBJECT (dialog), "ks-correction");
  double lat, lon;
  gboolean ok = parse_degrees (c->lat_entry, -90, 90, &lat) && parse_degrees (c->lon_entry, -180, 180, &lon);

  adw_message_dialog_set_response_enabled (dialog, "move", ok);
}

static void
on_category_selected (GtkDropDown      *picker,
                      GParamSpec       *pspec,
                      AdwMessageDialog *dialog)
{
  Correction *c = g_object_get_data (G_OBJECT (dialog), "ks-correction");
  guint selected = gtk_drop_down_get_selected (picker);
  gint64 id = selected < c->category_ids->len
    ? g_array_index (c->category_ids, gint64, selected) : 0;
  KsSession *session = ks_report_detail_get_session (c->detail);

  question_form_fill (&c->form, find_category (session, id), ks_report_detail_get_detail (c->detail));
  adw_message_dialog_set_response_enabled (dialog, "change", id != ks_report_get_category_id (c->report));
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             gpointer          user_data)
{
  Correction *c = g_object_get_data (G_OBJECT (dialog), "ks-correction");
  KsSession *session = ks_report_detail_get_session (c->detail);
  gint64 id = ks_report_get_id (c->report);
  g_autofree char *message = NULL;

  if (session == NULL || g_str_equal (response, "cancel"))
    return;
  if (g_str_equal (c->action, "correct-category"))
    {
      guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (c->category_picker));
      g_autoptr(JsonObject) answers = question_form_answers (&c->form);

      if (selected >= c->category_ids->len)
        return;
      message = g_strdup_printf (_("Category of report %" G_GINT64_FORMAT " changed."), id);
      ks_session_change_category_async (session, id,
                                        g_array_index (c->category_ids, gint64, selected),
                                        json_object_get_size (answers) ? answers : NULL, NULL,
                                        ks_report_detail_action_done,
                                        ks_report_detail_action_data (c->detail, message));
    }
  else if (g_str_equal (c->action, "correct-location"))
    {
      double lat, lon;

      if (!parse_degrees (c->lat_entry, -90, 90, &lat) || !parse_degrees (c->lon_entry, -180, 180, &lon))
        return;
      ks_report_detail_correct_move (c->detail, id, lat, lon,
                                     gtk_editable_get_text (GTK_EDITABLE (c->address_entry)));
    }
  else
    {
      g_autoptr(JsonObject) answers = question_form_answers (&c->form);
      JsonObject *detail = ks_report_detail_get_detail (c->detail);
      JsonArray *current = detail && json_object_has_member (detail, "attributes")
        ? json_object_get_array_member (detail, "attributes") : NULL;

      message = g_strdup_printf (_("Answers of report %" G_GINT64_FORMAT " saved."), id);
      ks_session_set_attributes_async (session, id, answers, current, NULL,
                                       ks_report_detail_action_done,
                                       ks_report_detail_action_data (c->detail, message));
    }
}

/* Where a report was, for Undo after a move. */
typedef struct {
  gint64  id;
  double  lat;
  double  lon;
  char   *address;
} Place;

static void
place_free (Place *p)
{
  g_free (p->address);
  g_free (p);
}

static void
undo_move (KsReportDetail *self,
           gpointer        data)
{
  Place *p = data;
  KsSession *session = ks_report_detail_get_session (self);
  KsReportActionData *action;
  g_autofree char *message = NULL;

  if (session == NULL)
    return;
  message = g_strdup_printf (_("Report %" G_GINT64_FORMAT " moved back."), p->id);
  action = ks_report_detail_action_data (self, message);
  ks_report_action_data_name_ward (action, _("Report moved back, to %s."));
  ks_session_change_location_async (session, p->id, p->lat, p->lon, p->address ? p->address : "",
                                    NULL, ks_report_detail_action_done, action);
}

void
ks_report_detail_correct_move (KsReportDetail *self,
                               gint64          id,
                               double          lat,
                               double          lon,
                               const char     *address)
{
  KsSession *session = ks_report_detail_get_session (self);
  KsReport *report = session ? ks_session_lookup_report (session, id) : NULL;
  JsonObject *detail = ks_report_detail_get_detail (self);
  KsReportActionData *action;
  g_autofree char *message = NULL;
  Place *was;

  if (report == NULL)
    return;
  was = g_new0 (Place, 1);
  was->id = id;
  was->lat = ks_report_get_lat (report);
  was->lon = ks_report_get_lon (report);
  if (detail != NULL && ks_report_detail_get_report (self) != NULL &&
      ks_report_get_id (ks_report_detail_get_report (self)) == id)
    was->address = g_strdup (json_object_get_string_member_with_default (detail, "address", NULL));
  message = g_strdup_printf (_("Report %" G_GINT64_FORMAT " moved."), id);
  action = ks_report_detail_action_data (self, message);
  /* TRANSLATORS: %s is the ward the report is in after the move */
  ks_report_action_data_name_ward (action, _("Report moved, now in %s."));
  ks_report_action_data_offer_undo (action, undo_move, was, (GDestroyNotify) place_free);
  ks_session_change_location_async (session, id, lat, lon, address, NULL,
                                    ks_report_detail_action_done, action);
}

GtkWidget *
ks_report_detail_correct_move_dialog_new (KsReportDetail *self,
                                          double          lat,
                                          double          lon)
{
  GtkWidget *dialog = ks_report_detail_correct_dialog_new (self, "correct-location");
  Correction *c = dialog ? g_object_get_data (G_OBJECT (dialog), "ks-correction") : NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (c == NULL)
    return dialog;
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (dialog), _("Move the Report Here?"));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("The pin now stands where the problem is: move the report to that "
                                 "point? The ward follows the point once it is saved. The address "
                                 "described the old point: correct it, or clear it."));
  gtk_editable_set_text (GTK_EDITABLE (c->lat_entry), g_ascii_formatd (buf, sizeof buf, "%.6f", lat));
  gtk_editable_set_text (GTK_EDITABLE (c->lon_entry), g_ascii_formatd (buf, sizeof buf, "%.6f", lon));
  return dialog;
}

GtkWidget *
ks_report_detail_correct_dialog_new (KsReportDetail *self,
                                     const char     *action)
{
  KsSession *session = ks_report_detail_get_session (self);
  KsReport *report = ks_report_detail_get_report (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  Correction *c;
  GtkWidget *dialog, *box;

  if (session == NULL || report == NULL)
    return NULL;
  c = g_new0 (Correction, 1);
  c->detail = g_object_ref (self);
  c->report = g_object_ref (report);
  c->action = g_strdup (action);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  c->form.box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_name (c->form.box, "questions");

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, NULL);
  gtk_widget_set_name (dialog, action);
  g_object_set_data_full (G_OBJECT (dialog), "ks-correction", c, (GDestroyNotify) correction_free);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  if (g_str_equal (action, "correct-category"))
    {
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
      JsonArray *categories = ks_session_get_categories (session);
      guint selected = 0;

      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (dialog), _("Change Category"));
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                   _("The new category’s questions are asked; answers it does not ask "
                                     "for are kept in the timeline. A priority that is not for the new "
                                     "category is cleared."));
      c->category_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = 0; categories && i < json_array_get_length (categories); i++)
        {
          JsonObject *cat = json_array_get_object_element (categories, i);
          gint64 cid = json_object_get_int_member_with_default (cat, "id", 0);

          if (!json_object_get_boolean_member_with_default (cat, "active", TRUE) &&
              cid != ks_report_get_category_id (report))
            continue;
          if (cid == ks_report_get_category_id (report))
            selected = c->category_ids->len;
          g_array_append_val (c->category_ids, cid);
          gtk_string_list_append (names, json_object_get_string_member_with_default (cat, "name", ""));
        }
      c->category_picker = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
      gtk_widget_set_name (c->category_picker, "category-picker");
      gtk_drop_down_set_enable_search (GTK_DROP_DOWN (c->category_picker), TRUE);
      gtk_box_append (GTK_BOX (box), c->category_picker);
      gtk_box_append (GTK_BOX (box), c->form.box);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "change", _("C_hange Category"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "change", ADW_RESPONSE_SUGGESTED);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (c->category_picker), selected);
      g_signal_connect (c->category_picker, "notify::selected", G_CALLBACK (on_category_selected), dialog);
      on_category_selected (GTK_DROP_DOWN (c->category_picker), NULL, ADW_MESSAGE_DIALOG (dialog));
    }
  else if (g_str_equal (action, "correct-location"))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (dialog), _("Move Report"));
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                   _("Type where the problem really is, in degrees. The ward follows "
                                     "the new point."));
      c->lat_entry = gtk_entry_new ();
      c->lon_entry = gtk_entry_new ();
      gtk_widget_set_name (c->lat_entry, "latitude");
      gtk_widget_set_name (c->lon_entry, "longitude");
      gtk_entry_set_placeholder_text (GTK_ENTRY (c->lat_entry), _("Latitude (−90 to 90)"));
      gtk_entry_set_placeholder_text (GTK_ENTRY (c->lon_entry), _("Longitude (−180 to 180)"));
      gtk_editable_set_text (GTK_EDITABLE (c->lat_entry), g_ascii_formatd (buf, sizeof buf, "%.6f", ks_report_get_lat (report)));
      gtk_editable_set_text (GTK_EDITABLE (c->lon_entry), g_ascii_formatd (buf, sizeof buf, "%.6f", ks_report_get_lon (report)));
      gtk_box_append (GTK_BOX (box), gtk_label_new (_("Latitude")));
      gtk_box_append (GTK_BOX (box), c->lat_entry);
      gtk_box_append (GTK_BOX (box), gtk_label_new (_("Longitude")));
      gtk_box_append (GTK_BOX (box), c->lon_entry);
      /* The address described the old point: staff correct it too, or clear it. */
      c->address_entry = gtk_entry_new ();
      gtk_widget_set_name (c->address_entry, "address");
      gtk_entry_set_placeholder_text (GTK_ENTRY (c->address_entry), _("No address"));
      {
        JsonObject *detail = ks_report_detail_get_detail (self);
        const char *address = detail ? json_object_get_string_member_with_default (detail, "address", NULL) : NULL;
        gtk_editable_set_text (GTK_EDITABLE (c->address_entry), address ? address : "");
      }
      gtk_box_append (GTK_BOX (box), gtk_label_new (_("Address (empty: none)")));
      gtk_box_append (GTK_BOX (box), c->address_entry);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "move", _("_Move"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "move", ADW_RESPONSE_SUGGESTED);
      g_signal_connect (c->lat_entry, "changed", G_CALLBACK (on_location_changed), dialog);
      g_signal_connect (c->lon_entry, "changed", G_CALLBACK (on_location_changed), dialog);
    }
  else
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (dialog), _("Correct Answers"));
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                   _("The answers they replace are kept in the timeline."));
      question_form_fill (&c->form, find_category (session, ks_report_get_category_id (report)),
                          ks_report_detail_get_detail (self));
      if (c->form.questions->len == 0)
        gtk_box_append (GTK_BOX (c->form.box), gtk_label_new (_("This category asks no questions.")));
      gtk_box_append (GTK_BOX (box), c->form.box);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "save", _("_Save Answers"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", c->form.questions->len > 0);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response), NULL);
  return dialog;
}

/* ---- the actions ---- */

static void
on_correct_clicked (GtkButton      *button,
                    KsReportDetail *self)
{
  GtkWidget *dialog = ks_report_detail_correct_dialog_new (self, gtk_widget_get_name (GTK_WIDGET (button)));

  if (dialog != NULL)
    gtk_window_present (GTK_WINDOW (dialog));
}

void
ks_report_detail_correct_add_actions (KsReportDetail *self,
                                      GtkWidget      *actions_box,
                                      GHashTable     *buttons)
{
  static const struct { const char *name, *label, *icon, *tooltip; } info[] = {
    { "correct-category", N_("Ca_tegory"), "view-list-symbolic", N_("Change the report’s category") },
    { "correct-location", N_("Mo_ve"), "find-location-symbolic", N_("Correct where the report is") },
    { "correct-answers",  N_("Ans_wers"), "document-properties-symbolic", N_("Correct the answers to the category’s questions") },
  };
  KsSession *session = ks_report_detail_get_session (self);

  if (session == NULL ||
      !(ks_session_can (session, KS_PERM_UPDATE_STATUS) || ks_session_can (session, KS_PERM_MODERATE_REPORT)))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (info); i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *content = adw_button_content_new ();

      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _(info[i].label));
      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), info[i].icon);
      adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
      gtk_widget_set_tooltip_text (button, _(info[i].tooltip));
      gtk_button_set_child (GTK_BUTTON (button), content);
      gtk_widget_set_name (button, info[i].name);
      g_signal_connect (button, "clicked", G_CALLBACK (on_correct_clicked), self);
      gtk_flow_box_append (GTK_FLOW_BOX (actions_box), button);
      g_hash_table_insert (buttons, (gpointer) info[i].name, button);
    }
}
