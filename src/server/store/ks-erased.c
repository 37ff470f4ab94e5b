/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-erased.c: the values an erasure removes, and removing them from JSON text. */
#include "store/ks-erased.h"
#include "ks-json-writer.h"

#include <json-glib/json-glib.h>
#include <string.h>

struct _KsErased {
  GHashTable *values;    /* case-folded value -> ErasedValue */
  GHashTable *addresses; /* lower-cased addresses whose failed sign-ins go */
};

typedef struct {
  char  *text;           /* as stored */
  char  *folded;         /* g_utf8_casefold */
  glong  chars;
} ErasedValue;

/* Shorter values are only removed where they are the whole text: "Al" must
 * not be cut out of "Albert Street". */
#define ERASED_MIN_SUBSTRING 5

static void
erased_value_free (gpointer data)
{
  ErasedValue *v = data;
  g_free (v->text);
  g_free (v->folded);
  g_free (v);
}

KsErased *
ks_erased_new (void)
{
  KsErased *e = g_new0 (KsErased, 1);

  e->values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, erased_value_free);
  e->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return e;
}

void
ks_erased_free (KsErased *e)
{
  if (e == NULL)
    return;
  g_hash_table_destroy (e->values);
  g_hash_table_destroy (e->addresses);
  g_free (e);
}

void
ks_erased_add (KsErased *e, const char *text)
{
  g_autofree char *stripped = NULL;
  ErasedValue *v;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return;
  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    return;
  v = g_new0 (ErasedValue, 1);
  v->text = g_steal_pointer (&stripped);
  v->folded = g_utf8_casefold (v->text, -1);
  v->chars = g_utf8_strlen (v->text, -1);
  if (g_hash_table_contains (e->values, v->folded))
    erased_value_free (v);
  else
    g_hash_table_insert (e->values, v->folded, v);
}

void
ks_erased_add_address (KsErased *e, const char *address)
{
  if (address == NULL || *address == '\0')
    return;
  ks_erased_add (e, address);
  g_hash_table_add (e->addresses, g_ascii_strdown (address, -1));
}

GPtrArray *
ks_erased_like_patterns (KsErased *e)
{
  GPtrArray *patterns = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter it;
  gpointer value;

  g_hash_table_iter_init (&it, e->values);
  while (g_hash_table_iter_next (&it, NULL, &value))
    {
      ErasedValue *v = value;
      g_autoptr(GString) escaped = g_string_new (NULL);
      GString *pattern = g_string_new ("%");

      /* As the value appears inside the JSON text (without the quotes). */
      ks_json_escape_append (escaped, v->text, -1);
      for (gsize i = 1; i + 1 < escaped->len; i++)
        {
          char c = escaped->str[i];
          if (c == '%' || c == '_' || c == '\\')
            g_string_append_c (pattern, '\\');
          g_string_append_c (pattern, c);
        }
      g_string_append_c (pattern, '%');
      g_ptr_array_add (patterns, g_string_free (pattern, FALSE));
    }
  return patterns;
}

GPtrArray *
ks_erased_addresses (KsErased *e)
{
  GPtrArray *addresses = g_ptr_array_new ();
  GHashTableIter it;
  gpointer address;

  g_hash_table_iter_init (&it, e->addresses);
  while (g_hash_table_iter_next (&it, &address, NULL))
    g_ptr_array_add (addresses, address);
  return addresses;
}

/* text with every erased value it holds (whatever the case) replaced by
 * "[removed]"; NULL when it holds none. A text that is nothing but an erased
 * value becomes null (*out_null). */
static char *
scrub_text (KsErased *e, const char *text, gboolean *out_null)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *whole = g_strstrip (g_strdup (folded));
  GHashTableIter it;
  gpointer value;
  GString *out = NULL;
  const char *p;

  *out_null = FALSE;
  if (g_hash_table_contains (e->values, whole))
    {
      *out_null = TRUE;
      return NULL;
    }
  g_hash_table_iter_init (&it, e->values);
  while (g_hash_table_iter_next (&it, NULL, &value))
    {
      ErasedValue *v = value;
      if (v->chars >= ERASED_MIN_SUBSTRING && strstr (folded, v->folded) != NULL)
        break;
      value = NULL;
    }
  if (value == NULL)
    return NULL;

  out = g_string_new (NULL);
  p = text;
  while (*p != '\0')
    {
      const char *match_end = NULL;

      g_hash_table_iter_init (&it, e->values);
      while (match_end == NULL && g_hash_table_iter_next (&it, NULL, &value))
        {
          ErasedValue *v = value;
          const char *end = p;
          g_autofree char *piece = NULL;
          glong n;

          if (v->chars < ERASED_MIN_SUBSTRING)
            continue;
          for (n = 0; n < v->chars && *end != '\0'; n++)
            end = g_utf8_next_char (end);
          if (n < v->chars)
            continue;
          piece = g_utf8_casefold (p, end - p);
          if (strcmp (piece, v->folded) == 0)
            match_end = end;
        }
      if (match_end != NULL)
        {
          g_string_append (out, "[removed]");
          p = match_end;
        }
      else
        {
          const char *next = g_utf8_next_char (p);
          g_string_append_len (out, p, next - p);
          p = next;
        }
    }
  return g_string_free (out, FALSE);
}

static gboolean
scrub_node (KsErased *e, JsonNode *node)
{
  gboolean changed = FALSE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (o);

      for (GList *l = members; l != NULL; l = l->next)
        changed |= scrub_node (e, json_object_get_member (o, l->data));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (a); i++)
        changed |= scrub_node (e, json_array_get_element (a, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      gboolean to_null = FALSE;
      g_autofree char *scrubbed = scrub_text (e, json_node_get_string (node), &to_null);

      if (to_null)
        {
          json_node_init_null (node);
          changed = TRUE;
        }
      else if (scrubbed != NULL)
        {
          json_node_set_string (node, scrubbed);
          changed = TRUE;
        }
    }
  return changed;
}

KsErasedScrub
ks_erased_scrub_json (KsErased *e, const char *json, char **out_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  *out_json = NULL;
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return KS_ERASED_NOT_JSON;
  root = json_parser_get_root (parser);
  if (root == NULL || !scrub_node (e, root))
    return KS_ERASED_UNCHANGED;
  *out_json = json_to_string (root, FALSE);
  return KS_ERASED_SCRUBBED;
}
