/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-filter-sidebar.c: the filters of the report map and list (state and
 * state groups, category and group, priority, ward, dates, free text, "my
 * shortlist"), applied to the session's KsReportFilter. */
#define G_LOG_DOMAIN "ks-filter-sidebar"

#include "config.h"
#include "ks-filter-sidebar.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ks-filter-sidebar-private.h"
#include "ks-place-search.h"
#include "ks-states.h"

/* The quick state groups, in the toggle group's order. */
typedef enum {
  GROUP_OPEN,
  GROUP_FIXED,
  GROUP_CLOSED,
  GROUP_ALL,
  N_GROUPS,
  GROUP_NONE = N_GROUPS,
} StateGroup;

static const char *const group_names[N_GROUPS] = { "open", "fixed", "closed", "all" };

/* The "My wards" and "My categories" choices: the person's area. */
static const char my_wards_marker;
#define MY_WARDS ((gpointer) &my_wards_marker)
#define MY_CATEGORIES ((gint64) -1)

struct _KsFilterSidebar
{
  GtkWidget       parent_instance;

  KsSession      *session;

  GtkWidget      *search_entry;
  GtkWidget      *place_search;
  GtkWidget      *shortlist_group;
  GtkWidget      *shortlist_switch;
  GtkWidget      *area_group;
  GtkWidget      *area_row;
  GtkWidget      *area_switch;
  GtkWidget      *state_list;
  GtkWidget      *group_row;
  GtkStringList  *group_model;
  GtkWidget      *category_row;
  GtkStringList  *category_model;
  GtkWidget      *priority_row;
  GtkStringList  *priority_model;
  GtkWidget      *from_row;
  GtkWidget      *to_row;
  GtkWidget      *from_button;
  GtkWidget      *to_button;
  GtkWidget      *from_calendar;
  GtkWidget      *to_calendar;
  GtkWidget      *ward_row;
  GtkWidget      *assigned_row;
  GtkStringList  *ward_model;
  GtkWidget      *group_buttons[N_GROUPS];

  GDateTime      *from_day;       /* local midnight, NULL: any */
  GDateTime      *to_day;
  GPtrArray      *wards;          /* interned names, position 0 = any (NULL), MY_WARDS */
  const char    **area_wards;     /* interned, NULL-terminated: the person's wards */
  GArray         *area_categories; /* gint64: the person's categories */
  GListModel     *reports;        /* the session's reports, for the wards */
  guint           wards_id;

  GPtrArray      *state_checks;   /* GtkCheckButton, in ks_states order */
  guint           states_serial;  /* ks_states_serial() when they were made */
  GPtrArray      *groups;         /* char *, position 0 = any */
  GArray         *category_ids;   /* gint64, position 0 = any, MY_CATEGORIES */
  GArray         *priority_ids;   /* gint64, position 0 = any, 1 = none */
  guint           updating;
};

G_DEFINE_FINAL_TYPE (KsFilterSidebar, ks_filter_sidebar, GTK_TYPE_WIDGET)

static void apply (KsFilterSidebar *self);
static void fill_categories (KsFilterSidebar *self);
static void sync_area_switch (KsFilterSidebar *self);

static gint64
day_start (GDateTime *day)
{
  return day != NULL ? g_date_time_to_unix (day) : 0;
}

/* The day's last second (days are not always 24 hours long). */
static gint64
day_end (GDateTime *day)
{
  g_autoptr(GDateTime) next = NULL;

  if (day == NULL)
    return 0;
  next = g_date_time_add_days (day, 1);
  return g_date_time_to_unix (next) - 1;
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
  if (sel != GTK_INVALID_LIST_POSITION && sel > 0 && sel < self->category_ids->len
      && g_array_index (self->category_ids, gint64, sel) == MY_CATEGORIES)
    ks_report_filter_set_categories (filter, (const gint64 *) (gconstpointer) self->area_categories->data,
                                     self->area_categories->len);
  else if (sel != GTK_INVALID_LIST_POSITION && sel > 0 && sel < self->category_ids->len)
    ks_report_filter_set_categories (filter, &g_array_index (self->category_ids, gint64, sel), 1);
  else
    ks_report_filter_set_categories (filter, NULL, 0);

  sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->priority_row));
  if (sel != GTK_INVALID_LIST_POSITION && sel > 0 && sel < self->priority_ids->len)
    ks_report_filter_set_priorities (filter, &g_array_index (self->priority_ids, gint64, sel), 1);
  else
    ks_report_filter_set_priorities (filter, NULL, 0);

  sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->ward_row));
  if (sel != GTK_INVALID_LIST_POSITION && sel > 0 && sel < self->wards->len
      && g_ptr_array_index (self->wards, sel) == MY_WARDS)
    ks_report_filter_set_wards (filter, self->area_wards);
  else
    ks_report_filter_set_ward (filter,
                               sel != GTK_INVALID_LIST_POSITION && sel > 0 && sel < self->wards->len
                               ? g_ptr_array_index (self->wards, sel) : NULL);

  ks_report_filter_set_date_range (filter, day_start (self->from_day), day_end (self->to_day));

  ks_report_filter_set_shortlist_user (filter,
                                       gtk_switch_get_active (GTK_SWITCH (self->shortlist_switch))
                                       ? ks_session_get_user_id (self->session) : 0);
  ks_filter_sidebar_apply_assigned (self, filter);

  ks_report_filter_thaw (filter);
  sync_area_switch (self);
}

static void
on_criteria_changed (KsFilterSidebar *self)
{
  apply (self);
}

/* ---- state groups ---------------------------------------------------------- */

static gboolean
state_in_group (const KsState *state,
                StateGroup     group)
{
  switch (group)
    {
    case GROUP_OPEN:   return state->kind == KS_STATE_KIND_OPEN;
    case GROUP_FIXED:  return state->kind == KS_STATE_KIND_FIXED;
    case GROUP_CLOSED: return state->kind == KS_STATE_KIND_CLOSED;
    case GROUP_ALL:
    default:           return FALSE;   /* no state ticked: any state */
    }
}

/* The group the ticked states make up exactly, or GROUP_NONE. */
static StateGroup
current_group (KsFilterSidebar *self)
{
  guint n_active = 0;

  for (guint i = 0; i < self->state_checks->len; i++)
    n_active += gtk_check_button_get_active (g_ptr_array_index (self->state_checks, i));
  if (n_active == 0 || n_active == self->state_checks->len)
    return GROUP_ALL;

  for (StateGroup g = GROUP_OPEN; g < GROUP_ALL; g++)
    {
      gboolean same = TRUE;

      for (guint i = 0; same && i < self->state_checks->len; i++)
        same = gtk_check_button_get_active (g_ptr_array_index (self->state_checks, i))
               == state_in_group (ks_states_nth (i), g);
      if (same)
        return g;
    }
  return GROUP_NONE;
}

/* The toggle buttons show the group the ticked states make up. */
static void
sync_group_buttons (KsFilterSidebar *self)
{
  StateGroup group = current_group (self);

  self->updating++;
  for (StateGroup g = 0; g < N_GROUPS; g++)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->group_buttons[g]), g == group);
  self->updating--;
}

static void
select_group (KsFilterSidebar *self,
              StateGroup       group)
{
  self->updating++;
  for (guint i = 0; i < self->state_checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->state_checks, i),
                                 state_in_group (ks_states_nth (i), group));
  self->updating--;
  sync_group_buttons (self);
}

static void
on_state_group_toggled (KsFilterSidebar *self,
                        GtkToggleButton *button)
{
  if (self->updating > 0 || !gtk_toggle_button_get_active (button))
    return;
  for (StateGroup g = 0; g < N_GROUPS; g++)
    if (self->group_buttons[g] == GTK_WIDGET (button))
      select_group (self, g);
  apply (self);
}

static void
on_state_check_toggled (KsFilterSidebar *self)
{
  if (self->updating > 0)
    return;
  sync_group_buttons (self);
  apply (self);
}

/* ---- dates --------------------------------------------------------------------- */

static void
show_day (GtkWidget  *row,
          GDateTime  *day)
{
  g_autofree char *text = day != NULL ? g_date_time_format (day, "%x") : NULL;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text != NULL ? text : _("Any day"));
}

static void
set_day (KsFilterSidebar  *self,
         GDateTime       **slot,
         GtkWidget        *row,
         GDateTime        *day)
{
  g_clear_pointer (slot, g_date_time_unref);
  if (day != NULL)
    *slot = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                   g_date_time_get_day_of_month (day), 0, 0, 0);
  show_day (row, *slot);
}

static void
on_from_day_selected (KsFilterSidebar *self,
                      GtkCalendar     *calendar)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (calendar);

  set_day (self, &self->from_day, self->from_row, day);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->from_button));
  apply (self);
}

static void
on_to_day_selected (KsFilterSidebar *self,
                    GtkCalendar     *calendar)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (calendar);

  set_day (self, &self->to_day, self->to_row, day);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->to_button));
  apply (self);
}

static void
on_from_cleared (KsFilterSidebar *self)
{
  set_day (self, &self->from_day, self->from_row, NULL);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->from_button));
  apply (self);
}

static void
on_to_cleared (KsFilterSidebar *self)
{
  set_day (self, &self->to_day, self->to_row, NULL);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->to_button));
  apply (self);
}

/* ---- wards ------------------------------------------------------------------ */

static int
compare_interned (gconstpointer a,
                  gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* The council's wards from its boundaries; without boundaries, the wards of its
 * reports. Sorted; the choice is kept. */
static void
fill_wards (KsFilterSidebar *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) names = self->session != NULL ? ks_session_get_ward_names (self->session)
                                                     : g_ptr_array_new ();
  guint sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->ward_row));
  const char *chosen = sel != GTK_INVALID_LIST_POSITION && sel > 0 && sel < self->wards->len
                       ? g_ptr_array_index (self->wards, sel) : NULL;
  guint n = self->reports != NULL && names->len == 0 ? g_list_model_get_n_items (self->reports) : 0;
  guint position = 0;
  gboolean same, mine = chosen == MY_WARDS;

  if (mine)
    chosen = NULL;
  for (guint i = 0; i < names->len; i++)
    g_hash_table_add (seen, g_ptr_array_index (names, i));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KsReport) report = g_list_model_get_item (self->reports, i);
      const char *ward = ks_report_get_ward (report);

      if (ward != NULL && ward[0] != '\0' && g_hash_table_add (seen, (gpointer) ward))
        g_ptr_array_add (names, (gpointer) ward);
    }
  /* A ward chosen a moment ago stays offered even when its reports went. */
  if (chosen != NULL && g_hash_table_add (seen, (gpointer) chosen))
    g_ptr_array_add (names, (gpointer) chosen);
  g_ptr_array_sort (names, compare_interned);

  if (self->area_wards != NULL && self->area_wards[0] != NULL)
    g_ptr_array_insert (names, 0, MY_WARDS);

  same = names->len + 1 == self->wards->len;
  for (guint i = 0; same && i < names->len; i++)
    same = g_ptr_array_index (names, i) == g_ptr_array_index (self->wards, i + 1);
  if (same)
    return;

  self->updating++;
  g_ptr_array_set_size (self->wards, 0);
  g_ptr_array_add (self->wards, NULL);
  gtk_string_list_splice (self->ward_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->ward_model)), NULL);
  gtk_string_list_append (self->ward_model, _("All wards"));
  if (names->len > 0 && g_ptr_array_index (names, 0) == MY_WARDS)
    {
      gtk_string_list_append (self->ward_model, _("My wards"));
      g_ptr_array_add (self->wards, MY_WARDS);
      g_ptr_array_remove_index (names, 0);
      if (mine)
        position = 1;
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *ward = g_intern_string (g_ptr_array_index (names, i));

      gtk_string_list_append (self->ward_model, ward);
      g_ptr_array_add (self->wards, (gpointer) ward);
      if (ward == chosen)
        position = self->wards->len - 1;
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->ward_row), position);
  self->updating--;
}

/* ---- the person's area -------------------------------------------------- */

static gboolean
row_holds (KsFilterSidebar *self,
           gboolean         wards)
{
  guint sel = adw_combo_row_get_selected (ADW_COMBO_ROW (wards ? self->ward_row : self->category_row));

  if (wards)
    return sel != GTK_INVALID_LIST_POSITION && sel < self->wards->len
           && g_ptr_array_index (self->wards, sel) == MY_WARDS;
  return sel != GTK_INVALID_LIST_POSITION && sel < self->category_ids->len
         && g_array_index (self->category_ids, gint64, sel) == MY_CATEGORIES;
}

static gboolean
has_area (KsFilterSidebar *self)
{
  return (self->area_wards != NULL && self->area_wards[0] != NULL) || self->area_categories->len > 0;
}

/* The switch is on while the ward and category choices are the person's. */
static void
sync_area_switch (KsFilterSidebar *self)
{
  gboolean mine = has_area (self)
                  && (self->area_wards == NULL || self->area_wards[0] == NULL || row_holds (self, TRUE))
                  && (self->area_categories->len == 0 || row_holds (self, FALSE));

  self->updating++;
  gtk_switch_set_active (GTK_SWITCH (self->area_switch), mine);
  self->updating--;
}

static guint
position_of_mine (KsFilterSidebar *self,
                  gboolean         wards)
{
  if (wards)
    {
      for (guint i = 1; i < self->wards->len; i++)
        if (g_ptr_array_index (self->wards, i) == MY_WARDS)
          return i;
    }
  else
    {
      for (guint i = 1; i < self->category_ids->len; i++)
        if (g_array_index (self->category_ids, gint64, i) == MY_CATEGORIES)
          return i;
    }
  return 0;
}

/* Chooses the person's wards and categories (mine) or every ward and category. */
static void
choose_area (KsFilterSidebar *self,
             gboolean         mine)
{
  self->updating++;
  if (mine && adw_combo_row_get_selected (ADW_COMBO_ROW (self->group_row)) != 0)
    {
      /* Every category of the area, whatever its group. */
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->group_row), 0);
      fill_categories (self);
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->ward_row), mine ? position_of_mine (self, TRUE) : 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->category_row),
                              mine ? position_of_mine (self, FALSE) : 0);
  self->updating--;
}

static void
on_area_switched (KsFilterSidebar *self)
{
  if (self->updating > 0)
    return;
  choose_area (self, gtk_switch_get_active (GTK_SWITCH (self->area_switch)));
  apply (self);
}

/* The names of the person's categories, for the row's subtitle. */
static void
append_category_names (KsFilterSidebar *self,
                       GString         *s)
{
  JsonArray *categories = ks_session_get_categories (self->session);

  for (guint i = 0; i < self->area_categories->len; i++)
    {
      gint64 id = g_array_index (self->area_categories, gint64, i);
      const char *name = NULL;

      for (guint j = 0; categories != NULL && name == NULL && j < json_array_get_length (categories); j++)
        {
          JsonObject *c = json_array_get_object_element (categories, j);

          if (c != NULL && json_object_get_int_member_with_default (c, "id", 0) == id)
            name = json_object_get_string_member_with_default (c, "name", NULL);
        }
      if (name == NULL)
        continue;
      if (s->len > 0 && s->str[s->len - 1] != ' ')
        g_string_append (s, ", ");
      g_string_append (s, name);
    }
}

/* Reads the person's area from the session (signed in, or /me again). */
static void
load_area (KsFilterSidebar *self)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *wards = NULL;

  g_clear_pointer (&self->area_wards, g_free);
  g_array_set_size (self->area_categories, 0);
  if (self->session != NULL && ks_session_get_me (self->session) != NULL)
    {
      g_autoptr(GArray) ids = ks_session_get_area_category_ids (self->session);

      self->area_wards = ks_session_get_area_wards (self->session);
      g_array_append_vals (self->area_categories, ids->data, ids->len);
    }
  gtk_widget_set_visible (self->area_group, has_area (self));
  if (!has_area (self))
    return;

  wards = self->area_wards[0] != NULL ? g_strjoinv (", ", (char **) self->area_wards) : NULL;
  if (wards != NULL)
    g_string_append_printf (s, _("Wards: %s"), wards);
  if (self->area_categories->len > 0)
    {
      if (s->len > 0)
        g_string_append (s, "\n");
      g_string_append (s, _("Categories: "));
      append_category_names (self, s);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->area_row), s->str);
}

static gboolean
fill_wards_idle (gpointer data)
{
  KsFilterSidebar *self = data;

  self->wards_id = 0;
  fill_wards (self);
  return G_SOURCE_REMOVE;
}

/* Reports arrive in bursts while syncing: look again once things settle. */
static void
on_reports_changed (KsFilterSidebar *self)
{
  g_clear_handle_id (&self->wards_id, g_source_remove);
  self->wards_id = g_timeout_add_full (G_PRIORITY_LOW, 500, fill_wards_idle, self, NULL);
}

static void
set_reports (KsFilterSidebar *self,
             GListModel      *reports)
{
  if (self->reports != NULL)
    g_signal_handlers_disconnect_by_func (self->reports, on_reports_changed, self);
  g_clear_handle_id (&self->wards_id, g_source_remove);
  g_set_object (&self->reports, reports);
  if (reports != NULL)
    g_signal_connect_object (reports, "items-changed", G_CALLBACK (on_reports_changed),
                             self, G_CONNECT_SWAPPED);
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
  if (self->area_categories->len > 0)
    {
      gint64 mine = MY_CATEGORIES;

      gtk_string_list_append (self->category_model, _("My categories"));
      g_array_append_val (self->category_ids, mine);
    }
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
  self->states_serial = ks_states_serial ();
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
      gtk_widget_set_name (check, state->id);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_state_check_toggled), self);
      gtk_list_box_append (GTK_LIST_BOX (self->state_list), row);
      g_ptr_array_add (self->state_checks, check);
    }
}

/* A council's own states arrived or changed: the rows again, the same ticked. */
static void
update_state_rows (KsFilterSidebar *self)
{
  g_autoptr(GHashTable) ticked = g_hash_table_new (NULL, NULL);
  GtkWidget *row;
  StateGroup group;

  if (self->states_serial == ks_states_serial ())
    return;
  group = current_group (self);
  for (guint i = 0; i < self->state_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->state_checks, i)))
      g_hash_table_add (ticked, (gpointer) g_intern_string (gtk_widget_get_name (g_ptr_array_index (self->state_checks, i))));
  g_ptr_array_set_size (self->state_checks, 0);
  while ((row = gtk_widget_get_first_child (self->state_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->state_list), row);
  build_state_rows (self);

  self->updating++;
  if (group != GROUP_NONE)
    select_group (self, group);   /* a new open state joins "Open" */
  else
    for (guint i = 0; i < self->state_checks->len; i++)
      gtk_check_button_set_active (g_ptr_array_index (self->state_checks, i),
                                   g_hash_table_contains (ticked, g_intern_string (ks_states_nth (i)->id)));
  self->updating--;
  sync_group_buttons (self);
}

static void
ks_filter_sidebar_dispose (GObject *object)
{
  KsFilterSidebar *self = KS_FILTER_SIDEBAR (object);
  GtkWidget *child;

  g_clear_object (&self->session);
  set_reports (self, NULL);
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
  g_ptr_array_unref (self->wards);
  g_clear_pointer (&self->area_wards, g_free);
  g_array_unref (self->area_categories);
  g_clear_pointer (&self->from_day, g_date_time_unref);
  g_clear_pointer (&self->to_day, g_date_time_unref);

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
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, area_group);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, area_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, area_switch);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, state_list);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, group_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, group_model);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, category_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, category_model);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, priority_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, priority_model);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, from_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, to_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, from_button);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, to_button);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, ward_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, assigned_row);
  gtk_widget_class_bind_template_child (widget_class, KsFilterSidebar, ward_model);
  gtk_widget_class_bind_template_child_full (widget_class, "group_open_button", FALSE,
                                             G_STRUCT_OFFSET (KsFilterSidebar, group_buttons[GROUP_OPEN]));
  gtk_widget_class_bind_template_child_full (widget_class, "group_fixed_button", FALSE,
                                             G_STRUCT_OFFSET (KsFilterSidebar, group_buttons[GROUP_FIXED]));
  gtk_widget_class_bind_template_child_full (widget_class, "group_closed_button", FALSE,
                                             G_STRUCT_OFFSET (KsFilterSidebar, group_buttons[GROUP_CLOSED]));
  gtk_widget_class_bind_template_child_full (widget_class, "group_all_button", FALSE,
                                             G_STRUCT_OFFSET (KsFilterSidebar, group_buttons[GROUP_ALL]));
  gtk_widget_class_bind_template_callback (widget_class, on_state_group_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_from_day_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_to_day_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_from_cleared);
  gtk_widget_class_bind_template_callback (widget_class, on_to_cleared);
  gtk_widget_class_bind_template_callback (widget_class, on_criteria_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_group_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_area_switched);
}

static void
ks_filter_sidebar_init (KsFilterSidebar *self)
{
  self->state_checks = g_ptr_array_new ();
  self->groups = g_ptr_array_new_with_free_func (g_free);
  self->category_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->priority_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->wards = g_ptr_array_new ();
  g_ptr_array_add (self->wards, NULL);
  self->area_categories = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The places that match the search, under it (the reports that match are
   * the list's). */
  self->place_search = ks_place_search_new (_("Places"));
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->search_entry)),
                              self->place_search, self->search_entry);
  ks_place_search_attach (KS_PLACE_SEARCH (self->place_search), GTK_EDITABLE (self->search_entry));
  build_state_rows (self);
  gtk_string_list_append (self->ward_model, _("All wards"));
  show_day (self->from_row, NULL);
  show_day (self->to_row, NULL);
  sync_group_buttons (self);
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
  gboolean mine = gtk_switch_get_active (GTK_SWITCH (self->area_switch));

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
  update_state_rows (self);
  load_area (self);
  fill_wards (self);
  if (mine && has_area (self))
    {
      /* The area may have changed: fill the categories again with it. */
      self->updating++;
      fill_categories (self);
      self->updating--;
      choose_area (self, TRUE);
    }
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
  ks_place_search_set_session (KS_PLACE_SEARCH (self->place_search), session);
  set_reports (self, session != NULL ? ks_session_get_reports (session) : NULL);
  if (session == NULL)
    return;
  g_signal_connect_object (session, "lists-changed", G_CALLBACK (on_lists_changed), self, G_CONNECT_SWAPPED);

  gtk_widget_set_visible (self->shortlist_group, ks_session_can (session, KS_PERM_SHORTLIST));
  update_state_rows (self);
  load_area (self);
  self->updating++;
  ks_filter_sidebar_clear (self);
  /* A session starts on the work still to do, in the person's own area. */
  select_group (self, GROUP_OPEN);
  fill_wards (self);
  ks_filter_sidebar_reload_lists (self);
  choose_area (self, TRUE);
  self->updating--;
  apply (self);
}

void
ks_filter_sidebar_show_my_area (KsFilterSidebar *self)
{
  g_return_if_fail (KS_IS_FILTER_SIDEBAR (self));
  choose_area (self, has_area (self));
  apply (self);
}

GtkWidget *
ks_filter_sidebar_get_area_switch (KsFilterSidebar *self)
{
  g_return_val_if_fail (KS_IS_FILTER_SIDEBAR (self), NULL);
  return self->area_switch;
}

GtkWidget *
ks_filter_sidebar_get_category_row (KsFilterSidebar *self)
{
  g_return_val_if_fail (KS_IS_FILTER_SIDEBAR (self), NULL);
  return self->category_row;
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
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->ward_row), 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->assigned_row), 0);
  set_day (self, &self->from_day, self->from_row, NULL);
  set_day (self, &self->to_day, self->to_row, NULL);
  sync_group_buttons (self);
  if (self->session)
    fill_categories (self);
  self->updating--;
  apply (self);
}

GtkWidget *
ks_filter_sidebar_get_place_search (KsFilterSidebar *self)
{
  g_return_val_if_fail (KS_IS_FILTER_SIDEBAR (self), NULL);
  return self->place_search;
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

void
ks_filter_sidebar_set_state_group (KsFilterSidebar *self,
                                   const char      *group)
{
  g_return_if_fail (KS_IS_FILTER_SIDEBAR (self));

  for (StateGroup g = 0; g < N_GROUPS; g++)
    if (g_strcmp0 (group, group_names[g]) == 0)
      {
        select_group (self, g);
        apply (self);
        return;
      }
  g_return_if_reached ();
}

const char *
ks_filter_sidebar_get_state_group (KsFilterSidebar *self)
{
  StateGroup group;

  g_return_val_if_fail (KS_IS_FILTER_SIDEBAR (self), NULL);

  group = current_group (self);
  return group < N_GROUPS ? group_names[group] : NULL;
}

GtkWidget *
ks_filter_sidebar_get_state_group_button (KsFilterSidebar *self,
                                          const char      *group)
{
  g_return_val_if_fail (KS_IS_FILTER_SIDEBAR (self), NULL);

  for (StateGroup g = 0; g < N_GROUPS; g++)
    if (g_strcmp0 (group, group_names[g]) == 0)
      return self->group_buttons[g];
  return NULL;
}

/* Who holds the report; My Shortlist shows the user's in its order. */
void
ks_filter_sidebar_apply_assigned (KsFilterSidebar *self,
                                  KsReportFilter  *filter)
{
  static const KsReportAssigned choices[] = {
    KS_REPORT_ASSIGNED_ANY, KS_REPORT_ASSIGNED_ME, KS_REPORT_ASSIGNED_SOMEONE,
    KS_REPORT_ASSIGNED_NOBODY,
  };
  guint sel = adw_combo_row_get_selected (ADW_COMBO_ROW (self->assigned_row));
  gboolean shortlist = gtk_switch_get_active (GTK_SWITCH (self->shortlist_switch));

  ks_report_filter_set_assigned (filter, sel < G_N_ELEMENTS (choices) ? choices[sel] : KS_REPORT_ASSIGNED_ANY,
                                 ks_session_get_user_id (self->session));
  if (shortlist)
    {
      g_autoptr(GArray) order = ks_session_get_shortlist_ids (self->session);

      ks_report_filter_set_shortlist_order (filter, (const gint64 *) (gconstpointer) order->data, order->len);
    }
  ks_report_filter_set_sort (filter, shortlist ? KS_REPORT_SORT_SHORTLIST : KS_REPORT_SORT_UPDATED_DESC);
}

GtkWidget *
ks_filter_sidebar_get_assigned_row (KsFilterSidebar *self)
{
  g_return_val_if_fail (KS_IS_FILTER_SIDEBAR (self), NULL);
  return self->assigned_row;
}

GtkWidget *
ks_filter_sidebar_get_ward_row (KsFilterSidebar *self)
{
  g_return_val_if_fail (KS_IS_FILTER_SIDEBAR (self), NULL);
  return self->ward_row;
}

void
ks_filter_sidebar_refresh_wards (KsFilterSidebar *self)
{
  g_return_if_fail (KS_IS_FILTER_SIDEBAR (self));
  g_clear_handle_id (&self->wards_id, g_source_remove);
  fill_wards (self);
}

GtkWidget *
ks_filter_sidebar_get_date_row (KsFilterSidebar *self,
                                gboolean         to)
{
  g_return_val_if_fail (KS_IS_FILTER_SIDEBAR (self), NULL);
  return to ? self->to_row : self->from_row;
}

GtkWidget *
ks_filter_sidebar_get_date_button (KsFilterSidebar *self,
                                   gboolean         to)
{
  g_return_val_if_fail (KS_IS_FILTER_SIDEBAR (self), NULL);
  return to ? self->to_button : self->from_button;
}

GtkWidget *
ks_filter_sidebar_get_calendar (KsFilterSidebar *self,
                                gboolean         to)
{
  g_return_val_if_fail (KS_IS_FILTER_SIDEBAR (self), NULL);
  return to ? self->to_calendar : self->from_calendar;
}
