/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report.c: one street-fault report as the app holds it. */
#define G_LOG_DOMAIN "ks-report"

#include "ks-report-private.h"
#include "ks-error.h"
#include "ks-time.h"

#include <string.h>

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_CATEGORY,
  PROP_CATEGORY_ID,
  PROP_GROUP,
  PROP_STATE,
  PROP_PRIORITY_ID,
  PROP_LAT,
  PROP_LON,
  PROP_WARD,
  PROP_CREATED,
  PROP_UPDATED,
  PROP_VERSION,
  PROP_ACKNOWLEDGED,
  PROP_SHORTLIST_USER,
  PROP_DUPLICATE_OF,
  PROP_DETAIL,
  PROP_HAS_PHOTO,
  PROP_ANSWERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Interned once (each g_intern_static_string() takes a lock every thread
 * shares, and a cache of 100,000 reports makes as many reports at a start). */
static const char *interned_empty;
static const char *interned_confirmed;

G_DEFINE_FINAL_TYPE (KsReport, ks_report, G_TYPE_OBJECT)

static void
ks_report_finalize (GObject *object)
{
  KsReport *self = KS_REPORT (object);

  g_free (self->title);
  g_free (self->detail);
  g_free (self->search);
  g_strfreev (self->answers);
  G_OBJECT_CLASS (ks_report_parent_class)->finalize (object);
}

static void
ks_report_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  KsReport *self = KS_REPORT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_CATEGORY: g_value_set_string (value, self->category); break;
    case PROP_CATEGORY_ID: g_value_set_int64 (value, self->category_id); break;
    case PROP_GROUP: g_value_set_string (value, self->group); break;
    case PROP_STATE: g_value_set_string (value, self->state); break;
    case PROP_PRIORITY_ID: g_value_set_int64 (value, self->priority_id); break;
    case PROP_LAT: g_value_set_double (value, self->lat); break;
    case PROP_LON: g_value_set_double (value, self->lon); break;
    case PROP_WARD: g_value_set_string (value, self->ward); break;
    case PROP_CREATED: g_value_set_int64 (value, self->created); break;
    case PROP_UPDATED: g_value_set_int64 (value, self->updated); break;
    case PROP_VERSION: g_value_set_int64 (value, self->version); break;
    case PROP_ACKNOWLEDGED: g_value_set_int64 (value, self->acknowledged); break;
    case PROP_SHORTLIST_USER: g_value_set_int64 (value, self->shortlist_user); break;
    case PROP_DUPLICATE_OF: g_value_set_int64 (value, self->duplicate_of); break;
    case PROP_DETAIL: g_value_set_string (value, self->detail); break;
    case PROP_HAS_PHOTO: g_value_set_boolean (value, self->has_photo); break;
    case PROP_ANSWERS: g_value_set_boxed (value, self->answers); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
int64_prop (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
string_prop (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
double_prop (const char *name)
{
  return g_param_spec_double (name, NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
ks_report_class_init (KsReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  interned_empty = g_intern_static_string ("");
  interned_confirmed = g_intern_static_string ("confirmed");
  object_class->finalize = ks_report_finalize;
  object_class->get_property = ks_report_get_property;

  properties[PROP_ID] = int64_prop ("id");
  properties[PROP_TITLE] = string_prop ("title");
  properties[PROP_CATEGORY] = string_prop ("category");
  properties[PROP_CATEGORY_ID] = int64_prop ("category-id");
  properties[PROP_GROUP] = string_prop ("group");
  properties[PROP_STATE] = string_prop ("state");
  properties[PROP_PRIORITY_ID] = int64_prop ("priority-id");
  properties[PROP_LAT] = double_prop ("lat");
  properties[PROP_LON] = double_prop ("lon");
  properties[PROP_WARD] = string_prop ("ward");
  properties[PROP_CREATED] = int64_prop ("created");
  properties[PROP_UPDATED] = int64_prop ("updated");
  properties[PROP_VERSION] = int64_prop ("version");
  properties[PROP_ACKNOWLEDGED] = int64_prop ("acknowledged");
  properties[PROP_SHORTLIST_USER] = int64_prop ("shortlist-user");
  properties[PROP_DUPLICATE_OF] = int64_prop ("duplicate-of");
  properties[PROP_DETAIL] = string_prop ("detail");
  properties[PROP_HAS_PHOTO] = g_param_spec_boolean ("has-photo", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                     G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ANSWERS] = g_param_spec_boxed ("answers", NULL, NULL, G_TYPE_STRV,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                 G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ks_report_init (KsReport *self)
{
  /* The title and the detail are set by the constructors below. */
  self->category = interned_empty;
  self->group = interned_empty;
  self->ward = interned_empty;
  self->state = interned_confirmed;
}

KsReport *
ks_report_new_empty (gint64 id)
{
  return ks_report_new_with_text (id, NULL, NULL);
}

KsReport *
ks_report_new_with_text (gint64  id,
                         char   *title,
                         char   *detail)
{
  KsReport *self = g_object_new (KS_TYPE_REPORT, NULL);

  self->id = id;
  self->title = title ? title : g_strdup ("");
  self->detail = detail ? detail : g_strdup ("");
  return self;
}

/* The text changed: its search form is made again when next needed. */
static void
forget_search (KsReport *self)
{
  g_clear_pointer (&self->search, g_free);
  self->search_plain = FALSE;
}

void
ks_report_set_id (KsReport *self, gint64 id)
{
  if (self->id == id)
    return;
  self->id = id;
  forget_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
ks_report_set_title_take (KsReport *self, char *title)
{
  g_free (self->title);
  self->title = title ? title : g_strdup ("");
  forget_search (self);
}

void
ks_report_set_detail_take (KsReport *self, char *detail)
{
  g_free (self->detail);
  self->detail = detail ? detail : g_strdup ("");
  forget_search (self);
}

gint64 ks_report_get_id (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->id; }
const char *ks_report_get_title (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), NULL); return self->title; }
const char *ks_report_get_category (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), NULL); return self->category; }
gint64 ks_report_get_category_id (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->category_id; }
const char *ks_report_get_group (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), NULL); return self->group; }
const char *ks_report_get_state (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), NULL); return self->state; }
gint64 ks_report_get_priority_id (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->priority_id; }
void ks_report_prefetch (KsReport *self) { ks_report_prefetch_object (self); }
double ks_report_get_lat (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->lat; }
double ks_report_get_lon (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->lon; }
const char *ks_report_get_ward (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), NULL); return self->ward; }
gint64 ks_report_get_created (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->created; }
gint64 ks_report_get_updated (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->updated; }
gint64 ks_report_get_version (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->version; }
gint64 ks_report_get_acknowledged (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->acknowledged; }
gint64 ks_report_get_shortlist_user (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->shortlist_user; }
gint64 ks_report_get_duplicate_of (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->duplicate_of; }
const char *ks_report_get_detail (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), NULL); return self->detail; }
gboolean ks_report_get_has_photo (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), FALSE); return self->has_photo; }
gint64 ks_report_get_seq (KsReport *self) { g_return_val_if_fail (KS_IS_REPORT (self), 0); return self->seq; }

/* Reads an integer member that may be null, absent, a number or (for times) an
 * ISO 8601 string. Returns FALSE when absent. */
static gboolean
member_int (JsonObject *obj, const char *name, gint64 *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    *out = 0;
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (!ks_time_parse_iso (json_node_get_string (node), out))
        *out = 0;
    }
  else if (JSON_NODE_HOLDS_VALUE (node))
    *out = json_node_get_int (node);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      /* e.g. "shortlist_user": {"id": 3, "name": ...} */
      JsonObject *inner = json_node_get_object (node);
      *out = json_object_has_member (inner, "id") ? json_object_get_int_member (inner, "id") : 0;
    }
  else
    return FALSE;
  return TRUE;
}

static gboolean
member_string (JsonObject *obj, const char *name, const char **out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    *out = json_node_get_string (node);
  else
    *out = "";
  return TRUE;
}

#define SET_INT(field, name, prop) \
  G_STMT_START { \
    gint64 v_; \
    if (member_int (obj, name, &v_) && self->field != v_) \
      { self->field = v_; changed = TRUE; if (notify) g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); } \
  } G_STMT_END

#define SET_INTERNED(field, name, prop) \
  G_STMT_START { \
    const char *v_; \
    if (member_string (obj, name, &v_) && g_strcmp0 (self->field, v_) != 0) \
      { self->field = g_intern_string (v_); changed = TRUE; text_changed = TRUE; \
        if (notify) g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); } \
  } G_STMT_END

#define SET_OWNED(field, name, prop) \
  G_STMT_START { \
    const char *v_; \
    if (member_string (obj, name, &v_) && g_strcmp0 (self->field, v_) != 0) \
      { g_free (self->field); self->field = g_strdup (v_); changed = TRUE; text_changed = TRUE; \
        if (notify) g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); } \
  } G_STMT_END

gboolean
ks_report_apply_json (KsReport   *self,
                      JsonObject *obj,
                      gboolean    notify)
{
  gboolean changed = FALSE, text_changed = FALSE;
  JsonNode *node;

  g_return_val_if_fail (KS_IS_REPORT (self), FALSE);

  if (notify)
    g_object_freeze_notify (G_OBJECT (self));

  SET_OWNED (title, "title", PROP_TITLE);
  SET_INTERNED (category, "category", PROP_CATEGORY);
  SET_INT (category_id, "category_id", PROP_CATEGORY_ID);
  SET_INTERNED (group, "group", PROP_GROUP);
  SET_INTERNED (state, "state", PROP_STATE);
  SET_INT (priority_id, "priority_id", PROP_PRIORITY_ID);
  SET_INTERNED (ward, "ward", PROP_WARD);
  SET_INT (created, "created", PROP_CREATED);
  SET_INT (updated, "updated", PROP_UPDATED);
  SET_INT (version, "version", PROP_VERSION);
  SET_INT (acknowledged, "acknowledged", PROP_ACKNOWLEDGED);
  SET_INT (shortlist_user, "shortlist_user", PROP_SHORTLIST_USER);
  SET_INT (duplicate_of, "duplicate_of", PROP_DUPLICATE_OF);
  SET_OWNED (detail, "detail", PROP_DETAIL);

  if ((node = json_object_get_member (obj, "lat")) != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_double (node) != self->lat)
    {
      self->lat = json_node_get_double (node);
      changed = TRUE;
      if (notify)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAT]);
    }
  if ((node = json_object_get_member (obj, "lon")) != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_double (node) != self->lon)
    {
      self->lon = json_node_get_double (node);
      changed = TRUE;
      if (notify)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LON]);
    }
  if ((node = json_object_get_member (obj, "has_photo")) != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_boolean (node) != self->has_photo)
    {
      self->has_photo = json_node_get_boolean (node);
      changed = TRUE;
      if (notify)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_PHOTO]);
    }
  if ((node = json_object_get_member (obj, "attributes")) != NULL &&
      (JSON_NODE_HOLDS_ARRAY (node) || JSON_NODE_HOLDS_NULL (node)) &&
      ks_report_set_answers_take (self, JSON_NODE_HOLDS_ARRAY (node)
                                        ? ks_report_answers_from_json (json_node_get_array (node)) : NULL))
    {
      changed = TRUE;
      if (notify)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERS]);
    }
  {
    gint64 seq;
    if (member_int (obj, "seq", &seq) && seq != 0)
      self->seq = seq;
  }

  if (text_changed)
    forget_search (self);

  if (notify)
    g_object_thaw_notify (G_OBJECT (self));
  return changed;
}

KsReport *
ks_report_new_from_json (JsonObject  *obj,
                         GError     **error)
{
  gint64 id = 0;
  KsReport *self;

  g_return_val_if_fail (obj != NULL, NULL);

  if (!member_int (obj, "id", &id) || id <= 0)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The server sent a report without an id. Update the app or the server and try again.");
      return NULL;
    }
  self = ks_report_new_empty (id);
  ks_report_apply_json (self, obj, FALSE);
  return self;
}

gboolean
ks_report_update_from (KsReport *self,
                       KsReport *other)
{
  gboolean changed = FALSE, text_changed = FALSE;
  GObject *o = G_OBJECT (self);

  g_return_val_if_fail (KS_IS_REPORT (self), FALSE);
  g_return_val_if_fail (KS_IS_REPORT (other), FALSE);

  g_object_freeze_notify (o);
#define COPY_VAL(field, prop) \
  if (self->field != other->field) \
    { self->field = other->field; changed = TRUE; g_object_notify_by_pspec (o, properties[prop]); }
#define COPY_INTERNED(field, prop) \
  if (self->field != other->field) \
    { self->field = other->field; changed = TRUE; text_changed = TRUE; g_object_notify_by_pspec (o, properties[prop]); }
#define COPY_OWNED(field, prop) \
  if (g_strcmp0 (self->field, other->field) != 0) \
    { g_free (self->field); self->field = g_strdup (other->field); changed = TRUE; text_changed = TRUE; \
      g_object_notify_by_pspec (o, properties[prop]); }

  COPY_OWNED (title, PROP_TITLE);
  COPY_INTERNED (category, PROP_CATEGORY);
  COPY_VAL (category_id, PROP_CATEGORY_ID);
  COPY_INTERNED (group, PROP_GROUP);
  COPY_INTERNED (state, PROP_STATE);
  COPY_VAL (priority_id, PROP_PRIORITY_ID);
  COPY_VAL (lat, PROP_LAT);
  COPY_VAL (lon, PROP_LON);
  COPY_INTERNED (ward, PROP_WARD);
  COPY_VAL (created, PROP_CREATED);
  COPY_VAL (updated, PROP_UPDATED);
  COPY_VAL (version, PROP_VERSION);
  COPY_VAL (acknowledged, PROP_ACKNOWLEDGED);
  COPY_VAL (shortlist_user, PROP_SHORTLIST_USER);
  /* The sync shape carries the duplicate's link (and the answers); the list
   * shape carries neither. */
  if (other->answers_known)
    {
      COPY_VAL (duplicate_of, PROP_DUPLICATE_OF);
    }
  COPY_VAL (has_photo, PROP_HAS_PHOTO);
  /* The sync shape may not carry the detail: keep what we know. */
  if (other->detail != NULL && other->detail[0] != '\0')
    {
      COPY_OWNED (detail, PROP_DETAIL);
    }
  /* Nor the list shape the answers. */
  if (other->answers_known &&
      ks_report_set_answers_take (self, g_strdupv (other->answers)))
    {
      changed = TRUE;
      g_object_notify_by_pspec (o, properties[PROP_ANSWERS]);
    }
#undef COPY_VAL
#undef COPY_INTERNED
#undef COPY_OWNED
  self->seq = other->seq;
  if (text_changed)
    forget_search (self);
  g_object_thaw_notify (o);
  return changed;
}

char *
ks_report_fold_text (const char *text)
{
  gboolean ascii = TRUE;
  const char *p;

  if (text == NULL)
    return g_strdup ("");
  for (p = text; *p; p++)
    if ((guchar) *p >= 0x80)
      {
        ascii = FALSE;
        break;
      }
  if (ascii)
    return g_ascii_strdown (text, -1);

  {
    g_autofree char *folded = g_utf8_casefold (text, -1);
    g_autofree char *nfd = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);
    GString *out = g_string_sized_new (strlen (nfd));

    for (p = nfd; *p; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);
        if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
          continue;
        g_string_append_unichar (out, c);
      }
    return g_string_free (out, FALSE);
  }
}

/* id, title, detail, ward and category, one a line, ASCII letters lowered as they
 * are copied; text with other letters goes through ks_report_fold_text(). */
static char *
build_search_text (KsReport *self)
{
  const char *parts[] = { self->title, self->detail, self->ward, self->category };
  gsize lens[G_N_ELEMENTS (parts)];
  char id[24];
  gsize id_len, total;
  guchar high = 0;
  char *text, *out;

  id_len = (gsize) g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, self->id);
  total = id_len;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      lens[i] = parts[i] ? strlen (parts[i]) : 0;
      total += 1 + lens[i];
    }
  text = out = g_malloc (total + 1);
  memcpy (out, id, id_len);
  out += id_len;
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      const guchar *p = (const guchar *) parts[i];

      *out++ = '\n';
      for (gsize k = 0; k < lens[i]; k++)
        {
          guchar c = p[k];
          high |= c;
          *out++ = (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : (char) c;
        }
    }
  *out = '\0';
  if (high & 0x80)
    {
      char *folded = ks_report_fold_text (text);
      g_free (text);
      return folded;
    }
  return text;
}

static gboolean
is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; p != NULL && *p; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

void
ks_report_prepare_search (KsReport *self)
{
  if (self->search != NULL || self->search_plain)
    return;
  if (is_ascii (self->title) && is_ascii (self->detail) && is_ascii (self->ward) &&
      is_ascii (self->category))
    self->search_plain = TRUE;
  else
    self->search = build_search_text (self);
}

char *
ks_report_dup_search_text (KsReport *self)
{
  ks_report_prepare_search (self);
  return self->search ? g_strdup (self->search) : build_search_text (self);
}

gboolean
ks_report_has_words (KsReport            *self,
                     const KsSearchWords *words)
{
  guint n = ks_search_words_get_n (words);
  char id[24];

  ks_report_prepare_search (self);
  if (self->search != NULL)
    {
      for (guint i = 0; i < n; i++)
        if (strstr (self->search, ks_search_words_get (words, i)) == NULL)
          return FALSE;
      return TRUE;
    }
  /* ASCII text: each word in one of the fields (a word holds no newline, so
   * it never spanned two of them in the folded text either). The id is
   * written out only for a word of digits, the only kind it can hold: not
   * for every report a search passes over. */
  id[0] = '\0';
  for (guint i = 0; i < n; i++)
    {
      if (id[0] == '\0' && ks_search_words_is_number (words, i))
        g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, self->id);
      if ((id[0] == '\0' || strstr (id, ks_search_words_get (words, i)) == NULL) &&
          (self->title == NULL || !ks_search_words_in_ascii (words, i, self->title)) &&
          (self->detail == NULL || !ks_search_words_in_ascii (words, i, self->detail)) &&
          (self->ward == NULL || !ks_search_words_in_ascii (words, i, self->ward)) &&
          (self->category == NULL || !ks_search_words_in_ascii (words, i, self->category)))
        return FALSE;
    }
  return TRUE;
}
