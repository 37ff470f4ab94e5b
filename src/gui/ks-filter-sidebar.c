/* ks-filter-sidebar.c: the filters of the report map and list (state, category
 * and group, priority, dates, free text, "my shortlist"), applied to the
 * session's KsReportFilter. */
#define G_LOG_DOMAIN "ks-filter-sidebar"

#include "config.h"
#include "ks-filter-sidebar.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ks-states.h"

struct _KsFilterSidebar
{
  GtkWidget       parent_instance;

  KsSession      *session;

  GtkWidget      *search_entry;
  GtkWidget      *shortlist_group;
  GtkWidget      *shortlist_switch;
  GtkWidget      *state_list;
  GtkWidget      *group_row;
  GtkStringList  *group_model;
  GtkWidget      *category_row;
  GtkStringList  *category_model;
  GtkWidget      *priority_row;
  GtkStringList  *priority_model;
  GtkWidget      *from_row;
  GtkWidget      *to_row;

  GPtrArray      *state_checks;   /* GtkCheckButton, in ks_states order */
  GPtrArray      *groups;         /* char *, position 0 = any */
  GArray         *category_ids;   /* gint64, position 0 = any */
  GArray         *priority_ids;   /* gint64, position 0 = any, 1 = none */
  guint           updating;
};

G_DEFINE_FINAL_TYPE (KsFilterSidebar, ks_filter_sidebar, GTK_TYPE_WIDGET)

static void apply (KsFilterSidebar *self);

/* Parses "YYYY-MM-DD" as local midnight (end_of_day: the day's last second).
 * Returns 0 when empty, -1 when not a date. */
static gint64
parse_date (const char *text,
            gboolean    end_of_day)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;
  char extra;

  if (text == NULL || *text == '\0')
    return 0;
  if (sscanf (text, "%d-%d-%d%c", &y, &m, &d, &extra) != 3)
    return -1;
  if (!g_date_valid_dmy (d, m, y))
    return -1;

  dt = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (dt == NULL)
    return -1;
  return g_date_time_to_unix (dt) + (end_of_day ? 86399 : 0);
}

static gint64
check_date_row (GtkWidget *row,
                gboolean   end_of_day)
{
  gint64 t = parse_date (gtk_editable_get_text (GTK_EDITABLE (row)), end_of_day);

  if (t < 0)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, _("Enter a date as YYYY-MM-DD, for example 2025-03-01."));
      return 0;
    }

  gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, NULL);
  return t;
}

static void
apply (KsFilterSidebar *self)
{
  KsReportFilter *filter;
  g_autoptr(GPtrArray) states = g_ptr_array_new ();
  guint sel;

  if (self->session == NULL || self->updating > 0)
    return;

  filter = ks_session_get_filter (self->session);
  ks_report_filter_freeze (filter);

  ks_report_filter_set_text (filter, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  for (guint i = 0; i < self->state_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->state_checks, i)))
      g_ptr_array_add (states, (gpointer) ks_states_nth (i)->id);
  g_ptr_array_add (states, NULL);
  ks_report_filter_set_states (filter, (const char * const *) states->pdata);

  sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->group_row));
  ks_report_filter_set_group (filter,
                              sel != GTK_INVALID_LIST_POSITION && sel > 0 && sel < self->groups->len
                              ? g_ptr_array_index (self->groups, sel) : NULL);

  sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->category_row));
  if (sel != GTK_INVALID_LIST_POSITION && sel > 0 && sel < self->category_ids->len)
    ks_report_filter_set_categories (filter, &g_array_index (self->category_ids, gint64, sel), 1);
  else
    ks_report_filter_set_categories (filter, NULL, 0);

  sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->priority_row));
  if (sel != GTK_INVALID_LIST_POSITION && sel > 0 && sel < self->priority_ids->len)
    ks_report_filter_set_priorities (filter, &g_array_index (self->priority_ids, gint64, sel), 1);
  else
    ks_report_filter_set_priorities (filter, NULL, 0);

  ks_report_filter_set_date_range (filter,
                                   check_date_row (self->from_row, FALSE),
                                   check_date_row (self->to_row, TRUE));

  ks_report_filter_set_shortlist_user (filter,
                                       gtk_switch_get_active (GTK_SWITCH (self->shortlist_switch))
                                       ? ks_session_get_user_id (self->session) : 0);

  ks_report_filter_thaw (filter);
}

static void
on_criteria_changed (KsFilterSidebar *self)
{
  apply (self);
}

static void
on_search_changed (KsFilterSidebar *self)
{
  apply (self);
}

static void
on_stop_search (KsFilterSidebar *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_clear_clicked (KsFilterSidebar *self)
{
  ks_filter_sidebar_clear (self);
}

/* A category's groups: the API's "groups" array (older caches: a
 * "|"-separated "group" string). */
static GStrv
category_groups (JsonObject *category)
{
  JsonNode *node = json_object_get_member (category, "groups");

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (item));
        }
      return g_strv_builder_end (builder);
    }
  return g_strsplit (json_object_get_string_member_with_default (category, "group", ""), "|", -1);
}

static gboolean
category_in_group (JsonObject *category,
                   const char *group)
{
  g_auto(GStrv) parts = NULL;

  if (group == NULL)
    return TRUE;
  parts = category_groups (category);
  return g_strv_contains ((const char * const *) parts, group);
}

static void
fill_categories (KsFilterSidebar *self)
{
  JsonArray *categories = ks_session_get_categories (self->session);
  guint group_sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->group_row));
  const char *group = NULL;
  gint64 any = 0;
  guint n;

  if (group_sel != GTK_INVALID_LIST_POSITION && group_sel > 0 && group_sel < self->groups->len)
    group = g_ptr_array_index (self->groups, group_sel);

  self->updating++;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->category_model));
  gtk_string_list_splice (self->category_model, 0, n, NULL);
  g_array_set_size (self->category_ids, 0);

  gtk_string_list_append (self->category_model, _("All categories"));
  g_array_append_val (self->category_ids, any);
  for (guint i = 0; categories && i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);
      gint64 id;

      if (c == NULL || !category_in_group (c, group))
        continue;
      id = json_object_get_int_member_with_default (c, "id", 0);
      gtk_string_list_append (self->category_model,
                              json_object_get_string_member_with_default (c, "name", ""));
      g_array_append_val (self->category_ids, id);
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->category_row), 0);
  self->updating--;
}

static void
on_group_changed (KsFilterSidebar *self)
{
  if (self->session == NULL || self->updating > 0)
    return;
  fill_categories (self);
  apply (self);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static void
fill_groups (KsFilterSidebar *self)
{
  JsonArray *categories = ks_session_get_categories (self->session);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n;

  for (guint i = 0; categories && i < json_array_get_length (categories); i++)
    {
      JsonObject *c = json_array_get_object_element (categories, i);
      g_auto(GStrv) parts = NULL;

      if (c == NULL)
        continue;
      parts = category_groups (c);
      for (guint j = 0; parts[j]; j++)
        {
          guint idx;

          if (*parts[j] && !g_ptr_array_find_with_equal_func (names, parts[j], g_str_equal, &idx))
            g_ptr_array_add (names, g_strdup (parts[j]));
        }
    }
  g_ptr_array_sort (names, compare_names);

  self->updating++;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->group_model));
  gtk_string_list_splice (self->group_model, 0, n, NULL);
  g_ptr_array_set_size (self->groups, 0);
  gtk_string_list_append (self->group_model, _("All groups"));
  g_ptr_array_add (self->groups, NULL);
  for (guint i = 0; i < names->len; i++)
    {
      gtk_string_list_append (self->group_model, g_ptr_array_index (names, i));
      g_ptr_array_add (self->groups, g_strdup (g_ptr_array_index (names, i)));
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->group_row), 0);
  self->updating--;
}

static void
fill_priorities (KsFilterSidebar *self)
{
  JsonArray *priorities = ks_session_get_priorities (self->session);
  gint64 none = 0, any = -1;
  guint n;

  self->updating++;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->priority_model));
  gtk_string_list_splice (self->priority_model, 0, n, NULL);
  g_array_set_size (self->priority_ids, 0);

  gtk_string_list_append (self->priority_model, _("Any priority"));
  g_array_append_val (self->priority_ids, any);
  gtk_string_list_append (self->priority_model, _("No priority"));
  g_array_append_val (self->priority_ids, none);
  for (guint i = 0; priorities && i < json_array_get_length (priorities); i++)
    {
      JsonObject *p = json_array_get_object_element (priorities, i);
      gint64 id;

      if (p == NULL)
        continue;
      id = json_object_get_int_member_with_default (p, "id", 0);
      gtk_string_list_append (self->priority_model,
                              json_object_get_string_member_with_default (p, "name", ""));
      g_array_append_val (self->priority_ids, id);
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->priority_row), 0);
  self->updating--;
}

static void
build_state_rows (KsFilterSidebar *self)
{
  for (guint i = 0; i < ks_states_count (); i++)
    {
      const KsState *state = ks_states_nth (i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *dot = gtk_label_new ("●");
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"%s\">●</span>", state->colour);

      gtk_label_set_markup (GTK_LABEL (dot), markup);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), state->label);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), dot);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_criteria_changed), self);
      gtk_list_box_append (GTK_LIST_BOX (self->state_list), row);
      g_ptr_array_add (self->state_checks, check);
    }
}

static void
ks_filter_sidebar_dispose (GObject *object)
{
  KsFilterSidebar *self = KS_FILTER_SIDEBAR (object);
  GtkWidget *child;

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), KS_TYPE_FILTER_SIDEBAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ks_filter_sidebar_parent_class)->dispose (object);
}

static void
ks_filter_sidebar_finalize (GObject *object)
{
  KsFilterSidebar *self = KS_FILTER_SIDEBAR (object);

  g_ptr_array_unref (self->state_checks);
  g_ptr_array_unref (self->groups);
  g_array_unref (self->category_ids);
  g_array_unref (self->priority_ids);

  G_OBJECT_CLASS (ks_filter_sidebar_parent_class)->finalize (object);
}

static void
ks_filter_sidebar_class_init (KsFilterSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ks_filter_sidebar_dispose;
  object_class->finalize = ks_filter_sidebar_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kerbside/Kerbside/ks-filter-sidebar.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, shortlist_group);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, shortlist_switch);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, state_list);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, group_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, group_model);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, category_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, category_model);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, priority_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, priority_model);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, from_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, to_row);
  gtk_widget_class_bind_template_callback (widget_class, on_criteria_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_group_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
}

static void
ks_filter_sidebar_init (KsFilterSidebar *self)
{
  self->state_checks = g_ptr_array_new ();
  self->groups = g_ptr_array_new_with_free_func (g_free);
  self->category_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->priority_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_widget_init_template (GTK_WIDGET (self));
  build_state_rows (self);
}

GtkWidget *
ks_filter_sidebar_new (void)
{
  return g_object_new (KS_TYPE_FILTER_SIDEBAR, NULL);
}

void
ks_filter_sidebar_reload_lists (KsFilterSidebar *self)
{
  g_return_if_fail (KS_IS_FILTER_SIDEBAR (self));

  if (self->session == NULL)
    return;

  fill_groups (self);
  fill_categories (self);
  fill_priorities (self);
  apply (self);
}

/* The catalogue arrived (on a first run, the first time): fill the group,
 * category and priority choices again, keeping what the person chose. */
static void
on_lists_changed (KsFilterSidebar *self)
{
  guint sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->group_row));
  g_autofree char *group = NULL;
  gint64 category = 0, priority = -1;

  if (sel != GTK_INVALID_LIST_POSITION && sel > 0 && sel < self->groups->len)
    group = g_strdup (g_ptr_array_index (self->groups, sel));
  sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->category_row));
  if (sel != GTK_INVALID_LIST_POSITION && sel < self->category_ids->len)
    category = g_array_index (self->category_ids, gint64, sel);
  sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->priority_row));
  if (sel != GTK_INVALID_LIST_POSITION && sel < self->priority_ids->len)
    priority = g_array_index (self->priority_ids, gint64, sel);

  self->updating++;
  fill_groups (self);
  for (guint i = 1; group && i < self->groups->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->groups, i), group) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->group_row), i);
  fill_categories (self);
  for (guint i = 1; category && i < self->category_ids->len; i++)
    if (g_array_index (self->category_ids, gint64, i) == category)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->category_row), i);
  fill_priorities (self);
  for (guint i = 1; priority >= 0 && i < self->priority_ids->len; i++)
    if (g_array_index (self->priority_ids, gint64, i) == priority)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->priority_row), i);
  self->updating--;
  apply (self);
}

void
ks_filter_sidebar_set_session (KsFilterSidebar *self,
                               KsSession       *session)
{
  g_return_if_fail (KS_IS_FILTER_SIDEBAR (self));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, on_lists_changed, self);
  g_set_object (&self->session, session);
  if (session == NULL)
    return;
  g_signal_connect_object (session, "lists-changed", G_CALLBACK (on_lists_changed), self, G_CONNECT_SWAPPED);

  gtk_widget_set_visible (self->shortlist_group, ks_session_can (session, KS_PERM_SHORTLIST));
  self->updating++;
  ks_filter_sidebar_clear (self);
  self->updating--;
  ks_filter_sidebar_reload_lists (self);
}

void
ks_filter_sidebar_clear (KsFilterSidebar *self)
{
  g_return_if_fail (KS_IS_FILTER_SIDEBAR (self));

  self->updating++;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_switch_set_active (GTK_SWITCH (self->shortlist_switch), FALSE);
  for (guint i = 0; i < self->state_checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->state_checks, i), FALSE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->group_row), 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->priority_row), 0);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), "");
  if (self->session)
    fill_categories (self);
  self->updating--;
  apply (self);
}

void
ks_filter_sidebar_focus_search (KsFilterSidebar *self)
{
  g_return_if_fail (KS_IS_FILTER_SIDEBAR (self));
  gtk_widget_grab_focus (self->search_entry);
}

void
ks_filter_sidebar_set_search_text (KsFilterSidebar *self,
                                   const char      *text)
{
  g_return_if_fail (KS_IS_FILTER_SIDEBAR (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  apply (self);
}
