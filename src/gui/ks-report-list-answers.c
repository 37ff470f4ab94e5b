/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-list-answers.c: a column per question of the council's categories
 * ("Lamp post number", "How deep is the pothole?"), chosen in the list's column
 * menu (its "Answers" section) and remembered in GSettings
 * ("list-answer-columns"). A cell shows the report's answer to that question (a
 * list question's name for its key), blank for reports of categories that do not
 * ask it; the column sorts by the question's own order of values for list
 * questions, by number when both answers are numbers, else by text, blanks last.
 * Columns are named "answer:CODE" (ks_report_list_get_cell_text()). */
#define G_LOG_DOMAIN "ks-report-list"

#include "config.h"
#include "ks-report-list-private.h"
#include "ks-report-private.h"   /* reports that differ only in one answer */
#include "ks-settings.h"
#include "ks-object-int64.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#define ANSWERS_KEY    "list-answer-columns"
#define ANSWER_WIDTH   130

typedef struct {
  char       *code;
  char       *label;   /* the question's description */
  GHashTable *names;   /* list questions: key -> name */
  GHashTable *ranks;   /* list questions: key -> its place + 1 */
} Question;

struct _KsReportListAnswers
{
  KsReportList       *list;      /* owns this */
  GtkColumnView      *view;
  GSimpleActionGroup *actions;
  GMenu              *section;   /* the "Answers" section of the column menu */
  GSettings          *settings;
  KsSession          *session;
  GHashTable         *questions; /* code -> Question */
  GPtrArray          *order;     /* the codes in the catalogue's order */
  GHashTable         *columns;   /* code -> GtkColumnViewColumn (shown ones) */
  GtkSorter          *view_sorter;
};

static void
question_free (gpointer data)
{
  Question *q = data;

  g_free (q->code);
  g_free (q->label);
  g_clear_pointer (&q->names, g_hash_table_unref);
  g_clear_pointer (&q->ranks, g_hash_table_unref);
  g_free (q);
}

/* The name a list question gives one key (the key when it lists none). */
static const char *
name_of (Question   *q,
         const char *key)
{
  const char *name = q && q->names ? g_hash_table_lookup (q->names, key) : NULL;
  return name ? name : key;
}

/* What a cell shows for an answer (several values are joined with ", "). */
static char *
answer_text (Question   *q,
             const char *answer)
{
  g_auto(GStrv) keys = NULL;
  GString *out;

  if (answer == NULL)
    return g_strdup ("");
  if (q == NULL || q->names == NULL)
    return g_strdup (answer);
  keys = g_strsplit (answer, ", ", -1);
  out = g_string_new (NULL);
  for (guint i = 0; keys[i]; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, name_of (q, keys[i]));
    }
  return g_string_free (out, FALSE);
}

static char *
column_name (const char *code)
{
  return g_strconcat ("answer:", code, NULL);
}

/* An action name for code: action names allow letters, digits, '-' and '.'. */
static char *
action_name (const char *code)
{
  GString *out = g_string_new ("answer-");

  for (const guchar *p = (const guchar *) code; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, (char) *p);
    else
      g_string_append_printf (out, ".%02x", *p);
  return g_string_free (out, FALSE);
}

/* Cells */

typedef struct {
  KsReportListAnswers *owner;
  char                *code;
  const char          *name;   /* interned "answer:CODE" */
  gboolean             descending;
} ColumnData;

static void
column_data_free (gpointer data)
{
  ColumnData *d = data;

  g_free (d->code);
  g_free (d);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            ColumnData               *d)
{
  gtk_list_item_set_child (item, ks_report_list_cell_new (d->name, 0.0));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           ColumnData               *d)
{
  GtkInscription *cell = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  g_autoptr(KsReport) report = ks_report_list_get_item_report (d->owner->list, item);
  g_autofree char *text = NULL;

  if (report == NULL)
    return;
  ks_object_set_int64 (cell, "ks-report-id", ks_report_get_id (report));
  text = answer_text (g_hash_table_lookup (d->owner->questions, d->code),
                      ks_report_get_answer (report, d->code));
  gtk_inscription_set_text (cell, text);
  ks_report_list_cell_set_tooltip (GTK_WIDGET (cell), text);
}

/* Sorting */

static gboolean
parse_number (const char *text,
              double     *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0';
}

static int
compare_answers (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  ColumnData *d = data;
  Question *q = g_hash_table_lookup (d->owner->questions, d->code);
  const char *va = ks_report_get_answer ((KsReport *) a, d->code);
  const char *vb = ks_report_get_answer ((KsReport *) b, d->code);
  double na, nb;

  if (va == NULL || vb == NULL)
    {
      /* Blanks last in both directions: the column view turns a descending
       * column's whole comparison round, so they are turned round first. */
      int blanks_last = (va == NULL) - (vb == NULL);
      return d->descending ? -blanks_last : blanks_last;
    }
  if (q && q->ranks)
    {
      int ra = GPOINTER_TO_INT (g_hash_table_lookup (q->ranks, va));
      int rb = GPOINTER_TO_INT (g_hash_table_lookup (q->ranks, vb));

      if (ra > 0 && rb > 0 && ra != rb)
        return ra < rb ? -1 : 1;
    }
  if (parse_number (va, &na) && parse_number (vb, &nb) && na != nb)
    return na < nb ? -1 : 1;
  return g_utf8_collate (va, vb);
}

/* Which way each shown column is sorted. GTK 4.8 does not say (the column
 * view's sorter keeps it to itself), so it is read by comparing two reports
 * that differ only in the answer, through the column's own sorter and the
 * view's: opposite signs mean descending. */
static void
note_directions (KsReportListAnswers *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->columns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GtkColumnViewColumn *column = value;
      ColumnData *d = g_object_get_data (G_OBJECT (column), "ks-answer");
      GtkSorter *own = gtk_column_view_column_get_sorter (column);
      g_autoptr(KsReport) answered = ks_report_new_empty (0);
      g_autoptr(KsReport) blank = ks_report_new_empty (0);
      char *pair[] = { g_strdup (d->code), g_strdup ("0"), NULL };
      GtkOrdering mine, seen;
      gboolean descending;

      ks_report_set_answers_take (answered, g_memdup2 (pair, sizeof pair));
      mine = gtk_sorter_compare (own, answered, blank);
      seen = gtk_sorter_compare (self->view_sorter, answered, blank);
      if (seen == GTK_ORDERING_EQUAL)
        continue;   /* not sorted by this column */
      descending = seen != mine;
      if (descending == d->descending)
        continue;
      d->descending = descending;
      /* Sorted again the right way (this comes back here, with no change). */
      gtk_sorter_changed (own, GTK_SORTER_CHANGE_DIFFERENT);
    }
}

/* Columns */

static void
set_title (KsReportListAnswers *self,
           GtkColumnViewColumn *column,
           const char          *code)
{
  Question *q = g_hash_table_lookup (self->questions, code);

  gtk_column_view_column_set_title (column, q ? q->label : code);
}

static void
add_column (KsReportListAnswers *self,
            const char          *code)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;
  g_autoptr(GtkSorter) sorter = NULL;
  g_autofree char *name = column_name (code);
  ColumnData *d = g_new0 (ColumnData, 1);

  d->owner = self;
  d->code = g_strdup (code);
  d->name = g_intern_string (name);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), d);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), d);
  column = gtk_column_view_column_new (code, g_object_ref (factory));
  g_object_set_data_full (G_OBJECT (column), "ks-answer", d, column_data_free);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_answers, d, NULL));
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_fixed_width (column, ANSWER_WIDTH);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_header_menu (column, ks_report_list_get_column_menu (self->list));
  set_title (self, column, code);
  gtk_column_view_append_column (self->view, column);
  g_hash_table_insert (self->columns, g_strdup (code), g_steal_pointer (&column));
}

static void
remove_column (KsReportListAnswers *self,
               const char          *code)
{
  GtkColumnViewColumn *column = g_hash_table_lookup (self->columns, code);

  if (column == NULL)
    return;
  /* (Sorted by it, the column view's sorter drops it.) */
  gtk_column_view_remove_column (self->view, column);
  g_hash_table_remove (self->columns, code);
}

/* Follows the setting: a column for each chosen code, in the chosen order. */
static void
apply_setting (KsReportListAnswers *self)
{
  g_auto(GStrv) chosen = g_settings_get_strv (self->settings, ANSWERS_KEY);
  g_autoptr(GList) shown = g_hash_table_get_keys (self->columns);

  for (GList *l = shown; l; l = l->next)
    if (!g_strv_contains ((const char * const *) chosen, l->data))
      remove_column (self, l->data);
  for (guint i = 0; chosen[i]; i++)
    if (*chosen[i] && !g_hash_table_contains (self->columns, chosen[i]))
      add_column (self, chosen[i]);
  for (guint i = 0; i < self->order->len; i++)
    {
      g_autofree char *name = action_name (g_ptr_array_index (self->order, i));
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

      if (action)
        g_simple_action_set_state (G_SIMPLE_ACTION (action),
                                   g_variant_new_boolean (g_hash_table_contains (self->columns,
                                                                                 g_ptr_array_index (self->order, i))));
    }
  gtk_widget_queue_allocate (GTK_WIDGET (self->list));
}

static void
on_toggled (GSimpleAction *action,
            GVariant      *value,
            gpointer       user_data)
{
  KsReportListAnswers *self = user_data;

  ks_report_list_answers_set_visible (self, g_object_get_data (G_OBJECT (action), "ks-code"),
                                      g_variant_get_boolean (value));
}

/* The questions staff answer, from each category's "extra" (not information
 * only, not automated), the first description of each code. */
static void
read_questions (KsReportListAnswers *self)
{
  JsonArray *categories = self->session ? ks_session_get_categories (self->session) : NULL;

  g_hash_table_remove_all (self->questions);
  g_ptr_array_set_size (self->order, 0);
  for (guint i = 0; categories && i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);
      JsonNode *extra = c ? json_object_get_member (c, "extra") : NULL;

      for (guint k = 0; extra && JSON_NODE_HOLDS_ARRAY (extra) &&
                        k < json_array_get_length (json_node_get_array (extra)); k++)
        {
          JsonObject *o = json_array_get_object_element (json_node_get_array (extra), k);
          const char *code = o ? json_object_get_string_member_with_default (o, "code", NULL) : NULL;
          JsonNode *variable = o ? json_object_get_member (o, "variable") : NULL;
          JsonNode *values = o ? json_object_get_member (o, "values") : NULL;
          Question *q;

          if (code == NULL || *code == '\0' || g_hash_table_contains (self->questions, code) ||
              json_object_has_member (o, "automated") ||
              (variable && JSON_NODE_HOLDS_VALUE (variable) &&
               json_node_get_value_type (variable) == G_TYPE_BOOLEAN && !json_node_get_boolean (variable)))
            continue;
          q = g_new0 (Question, 1);
          q->code = g_strdup (code);
          q->label = g_strdup (json_object_get_string_member_with_default (o, "description", code));
          for (guint v = 0; values && JSON_NODE_HOLDS_ARRAY (values) &&
                            v < json_array_get_length (json_node_get_array (values)); v++)
            {
              JsonObject *kv = json_array_get_object_element (json_node_get_array (values), v);
              const char *key = kv ? json_object_get_string_member_with_default (kv, "key", NULL) : NULL;

              if (key == NULL)
                continue;
              if (q->names == NULL)
                {
                  q->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
                  q->ranks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
                }
              g_hash_table_insert (q->names, g_strdup (key),
                                   g_strdup (json_object_get_string_member_with_default (kv, "name", key)));
              g_hash_table_insert (q->ranks, g_strdup (key), GINT_TO_POINTER (v + 1));
            }
          g_hash_table_insert (self->questions, q->code, q);
          g_ptr_array_add (self->order, q->code);
        }
    }
}

void
ks_report_list_answers_refresh (KsReportListAnswers *self)
{
  GHashTableIter iter;
  gpointer code, column;

  read_questions (self);
  g_menu_remove_all (self->section);
  for (guint i = 0; i < self->order->len; i++)
    {
      const char *code = g_ptr_array_index (self->order, i);
      Question *q = g_hash_table_lookup (self->questions, code);
      g_autofree char *name = action_name (code);
      g_autofree char *detailed = g_strconcat ("report-list.", name, NULL);

      if (g_action_map_lookup_action (G_ACTION_MAP (self->actions), name) == NULL)
        {
          g_autoptr(GSimpleAction) action = g_simple_action_new_stateful (name, NULL,
                                                                          g_variant_new_boolean (FALSE));

          g_object_set_data_full (G_OBJECT (action), "ks-code", g_strdup (code), g_free);
          g_signal_connect (action, "change-state", G_CALLBACK (on_toggled), self);
          g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
        }
      g_menu_append (self->section, q->label, detailed);
    }
  apply_setting (self);
  /* Titles, the names of list answers and their order may have changed. */
  g_hash_table_iter_init (&iter, self->columns);
  while (g_hash_table_iter_next (&iter, &code, &column))
    {
      GtkListItemFactory *factory = gtk_column_view_column_get_factory (column);

      set_title (self, column, code);
      g_object_ref (factory);
      gtk_column_view_column_set_factory (column, NULL);
      gtk_column_view_column_set_factory (column, factory);
      g_object_unref (factory);
      gtk_sorter_changed (gtk_column_view_column_get_sorter (column), GTK_SORTER_CHANGE_DIFFERENT);
    }
}

KsReportListAnswers *
ks_report_list_answers_new (KsReportList       *list,
                            GtkColumnView      *view,
                            GSimpleActionGroup *actions,
                            GMenu              *menu)
{
  KsReportListAnswers *self = g_new0 (KsReportListAnswers, 1);

  self->list = list;
  self->view = view;
  self->actions = g_object_ref (actions);
  self->section = g_menu_new ();
  g_menu_append_section (menu, _("Answers"), G_MENU_MODEL (self->section));
  self->questions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, question_free);
  self->order = g_ptr_array_new ();
  self->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->settings = ks_settings_new ();
  g_signal_connect_swapped (self->settings, "changed::" ANSWERS_KEY, G_CALLBACK (apply_setting), self);
  self->view_sorter = g_object_ref (gtk_column_view_get_sorter (view));
  g_signal_connect_swapped (self->view_sorter, "changed", G_CALLBACK (note_directions), self);
  apply_setting (self);
  return self;
}

void
ks_report_list_answers_free (KsReportListAnswers *self)
{
  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_signal_handlers_disconnect_by_data (self->view_sorter, self);
  g_clear_object (&self->view_sorter);
  g_clear_object (&self->session);
  g_clear_object (&self->actions);
  g_clear_object (&self->section);
  g_hash_table_unref (self->columns);
  g_ptr_array_unref (self->order);
  g_hash_table_unref (self->questions);
  g_free (self);
}

void
ks_report_list_answers_set_session (KsReportListAnswers *self,
                                    KsSession           *session)
{
  g_set_object (&self->session, session);
  ks_report_list_answers_refresh (self);
}

void
ks_report_list_answers_set_visible (KsReportListAnswers *self,
                                    const char          *code,
                                    gboolean             visible)
{
  g_auto(GStrv) chosen = g_settings_get_strv (self->settings, ANSWERS_KEY);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) next = NULL;

  g_return_if_fail (code != NULL && *code != '\0');
  for (guint i = 0; chosen[i]; i++)
    if (!g_str_equal (chosen[i], code))
      g_strv_builder_add (builder, chosen[i]);
  /* A new column goes last, as it is added. */
  if (visible)
    g_strv_builder_add (builder, code);
  next = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, ANSWERS_KEY, (const char * const *) next);
}

GtkColumnViewColumn *
ks_report_list_answers_get_column (KsReportListAnswers *self,
                                   const char          *code)
{
  return g_hash_table_lookup (self->columns, code);
}

int
ks_report_list_answers_get_width (KsReportListAnswers *self)
{
  GHashTableIter iter;
  gpointer column;
  int width = 0;

  g_hash_table_iter_init (&iter, self->columns);
  while (g_hash_table_iter_next (&iter, NULL, &column))
    if (gtk_column_view_column_get_visible (column))
      width += MAX (gtk_column_view_column_get_fixed_width (column), 0);
  return width;
}
