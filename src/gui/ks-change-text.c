/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-change-text.c: queued changes and reports, told in the staff's words. */
#include "config.h"
#include "ks-change-text.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ks-states.h"

static JsonObject *
parse_object (const char *json,
              JsonParser *parser)
{
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_get_object (json_parser_get_root (parser));
}

static const char *
string_member (JsonObject *obj,
               const char *name)
{
  JsonNode *node = obj ? json_object_get_member (obj, name) : NULL;

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static const char *
state_label (const char *id)
{
  const KsState *state = ks_state_lookup (id);

  return state ? state->label : id;
}

/* A quoted, shortened text. */
static char *
quote (const char *text)
{
  g_autofree char *flat = g_strdup (text);

  g_strdelimit (flat, "\n\r\t", ' ');
  g_strstrip (flat);
  if (g_utf8_strlen (flat, -1) > 80)
    {
      g_autofree char *cut = g_utf8_substring (flat, 0, 77);
      return g_strdup_printf ("“%s…”", cut);
    }
  return g_strdup_printf ("“%s”", flat);
}

static char *
format_when (const char *iso)
{
  g_autoptr(GDateTime) dt = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = dt ? g_date_time_to_local (dt) : NULL;

  return local ? g_date_time_format (local, "%-d %b %Y, %H:%M") : NULL;
}

char *
ks_change_text_describe (KsSession           *session,
                         const KsOutboxEntry *entry)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body = parse_object (entry->body, parser);
  const char *action = entry->action ? entry->action : "";
  const char *text = string_member (body, "text");
  g_autofree char *quoted = text && *text ? quote (text) : NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (g_str_equal (action, "state"))
    g_string_append_printf (out, _("Change the state to “%s”"), state_label (string_member (body, "state")));
  else if (g_str_equal (action, "priority"))
    {
      gint64 id = body ? json_object_get_int_member_with_default (body, "priority_id", 0) : 0;
      const char *name = id && session ? ks_session_get_priority_name (session, id) : NULL;

      if (id == 0)
        g_string_append (out, _("Remove the priority"));
      else
        g_string_append_printf (out, _("Set the priority to “%s”"), name && *name ? name : _("another priority"));
    }
  else if (g_str_equal (action, "acknowledge"))
    g_string_append (out, quoted ? _("Acknowledge the report, replying") : _("Acknowledge the report"));
  else if (g_str_equal (action, "update"))
    {
      const char *state = string_member (body, "state");

      if (state)
        g_string_append_printf (out, _("Post an update and set the state to “%s”"), state_label (state));
      else if (body && json_object_has_member (body, "template_id") && quoted == NULL)
        g_string_append (out, _("Post an update from a template"));
      else
        g_string_append (out, _("Post an update"));
    }
  else if (g_str_equal (action, "hide"))
    g_string_append (out, _("Hide the report from the public"));
  else if (g_str_equal (action, "unhide"))
    g_string_append (out, _("Make the report public again"));
  else if (g_str_equal (action, "duplicate"))
    {
      gint64 of = body ? json_object_get_int_member_with_default (body, "of", 0) : 0;
      g_string_append_printf (out, _("Mark as a duplicate of report %" G_GINT64_FORMAT), of);
    }
  else if (g_str_equal (action, "unduplicate"))
    g_string_append (out, _("Undo the duplicate mark"));
  else if (g_str_equal (action, "request_info"))
    g_string_append (out, _("Ask the reporter for more information"));
  else if (g_str_equal (action, "add_photos"))
    g_string_append (out, _("Add photos to the report"));
  else if (g_str_equal (action, "redact_photo"))
    g_string_append (out, _("Redact part of a photo"));
  else if (g_str_equal (action, "restore_photo"))
    g_string_append (out, _("Restore a photo's original"));
  else if (g_str_equal (action, "moderate_update"))
    g_string_append (out, _("Edit an update of the report"));
  else if (g_str_equal (action, "hide_update"))
    g_string_append (out, _("Hide an update from the public"));
  else if (g_str_equal (action, "unhide_update"))
    g_string_append (out, _("Make an update public again"));
  else if (g_str_equal (action, "hide_everywhere"))
    g_string_append (out, _("Hide all of the reporter's reports and updates"));
  else if (g_str_equal (action, "unhide_everywhere"))
    g_string_append (out, _("Show the reporter's reports and updates again"));
  else if (g_str_equal (action, "moderate"))
    {
      const char *title = string_member (body, "title");

      if (title)
        {
          g_autofree char *t = quote (title);
          g_string_append_printf (out, _("Moderate the report (new title %s)"), t);
        }
      else
        g_string_append (out, _("Moderate the report"));
    }
  else if (g_str_equal (action, "shortlist_add") || g_str_equal (action, "shortlist_take"))
    g_string_append (out, _("Add the report to your shortlist"));
  else if (g_str_equal (action, "shortlist_remove"))
    g_string_append (out, _("Remove the report from your shortlist"));
  else if (g_str_equal (action, "shortlist_assign"))
    g_string_append (out, _("Assign the report to a colleague"));
  else if (g_str_equal (action, "shortlist_reorder"))
    g_string_append (out, _("Reorder your shortlist"));
  else if (g_str_equal (action, "create"))
    {
      const char *title = string_member (body, "title");
      g_autofree char *t = title ? quote (title) : NULL;

      if (t)
        g_string_append_printf (out, _("Create the report %s"), t);
      else
        g_string_append (out, _("Create a report"));
    }
  else
    g_string_append (out, _("Change the report"));

  if (quoted && !g_str_equal (action, "create"))
    g_string_append_printf (out, ": %s", quoted);
  else
    {
      const char *reason = string_member (body, "reason");
      g_autofree char *r = reason && *reason ? quote (reason) : NULL;

      if (r)
        g_string_append_printf (out, _(" (reason: %s)"), r);
    }
  g_string_append_c (out, '.');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
ks_change_text_current (KsSession  *session,
                        const char *current_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj = parse_object (current_json, parser);
  const char *title, *state;
  g_autofree char *when = NULL;
  g_autofree char *quoted = NULL;
  g_autoptr(GString) out = NULL;
  gint64 priority;

  if (obj == NULL)
    return NULL;
  title = string_member (obj, "title");
  state = string_member (obj, "state");
  priority = json_object_get_int_member_with_default (obj, "priority_id", 0);
  when = format_when (string_member (obj, "updated"));

  out = g_string_new (NULL);
  if (title)
    {
      quoted = quote (title);
      g_string_append_printf (out, "%s: ", quoted);
    }
  g_string_append (out, state ? state_label (state) : _("state not given"));
  if (priority && session)
    g_string_append_printf (out, _(", priority “%s”"), ks_session_get_priority_name (session, priority));
  if (when)
    g_string_append_printf (out, _(", last changed %s"), when);
  g_string_append_c (out, '.');
  return g_string_free (g_steal_pointer (&out), FALSE);
}
