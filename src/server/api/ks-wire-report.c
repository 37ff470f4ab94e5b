/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-report.c: the report's wire shapes (docs/api.md), written from the
 * store's rows: the list item, the sync page, the shortlist and the detail. */
#include "api/ks-wire-report.h"
#include "api/ks-wire-sendings.h"
#include "store/ks-store-open311.h"
#include "api/ks-wire-duplicates.h"
#include "places/ks-bng.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

/* "key": id, or null when it is 0. */
static inline void
member_id (KsJsonWriter *w, const char *key, gint64 id)
{
  ks_json_writer_key (w, key);
  if (id != 0)
    ks_json_writer_int (w, id);
  else
    ks_json_writer_null (w);
}

/* The keys are written encoded (KS_JSON_WRITER_KEY): this is written for every
 * report of every list page and sync item. */
void
ks_wire_report_list_members (KsJsonWriter      *w,
                             const KsReportRow *row)
{
  KS_JSON_WRITER_KEY (w, "id");
  ks_json_writer_int (w, row->id);
  KS_JSON_WRITER_KEY (w, "title");
  ks_json_writer_string (w, row->title);
  KS_JSON_WRITER_KEY (w, "category_id");
  ks_json_writer_int (w, row->category_id);
  KS_JSON_WRITER_KEY (w, "category");
  ks_json_writer_string (w, row->category);
  KS_JSON_WRITER_KEY (w, "group");
  ks_json_writer_string (w, row->group);
  KS_JSON_WRITER_KEY (w, "state");
  ks_json_writer_string (w, row->state);
  KS_JSON_WRITER_KEY (w, "priority_id");
  if (row->priority_id != 0)
    ks_json_writer_int (w, row->priority_id);
  else
    ks_json_writer_null (w);
  KS_JSON_WRITER_KEY (w, "lat");
  ks_json_writer_double (w, row->lat);
  KS_JSON_WRITER_KEY (w, "lon");
  ks_json_writer_double (w, row->lon);
  KS_JSON_WRITER_KEY (w, "ward");
  ks_json_writer_string (w, row->ward);
  KS_JSON_WRITER_KEY (w, "created");
  ks_json_writer_timestamp (w, row->created);
  KS_JSON_WRITER_KEY (w, "updated");
  ks_json_writer_timestamp (w, row->updated);
  KS_JSON_WRITER_KEY (w, "acknowledged");
  ks_json_writer_timestamp (w, row->acknowledged);
  KS_JSON_WRITER_KEY (w, "shortlist_user");
  if (row->shortlist_user != 0)
    ks_json_writer_int (w, row->shortlist_user);
  else
    ks_json_writer_null (w);
  KS_JSON_WRITER_KEY (w, "has_photo");
  ks_json_writer_bool (w, row->has_photo);
  KS_JSON_WRITER_KEY (w, "version");
  ks_json_writer_int (w, row->version);
  KS_JSON_WRITER_KEY (w, "seq");
  ks_json_writer_int (w, row->seq);
}

/* "key": [{"code", "value"}...], from the store's JSON array of [code, value]
 * pairs (NULL: none). Both stores' arrays come out in the same shape. */
static void
member_attributes (KsJsonWriter *w, const char *key, const char *pairs)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  ks_json_writer_key (w, key);
  ks_json_writer_begin_array (w);
  if (pairs != NULL && pairs[0] == '[' && pairs[1] != ']')
    {
      parser = json_parser_new ();
      if (json_parser_load_from_data (parser, pairs, -1, NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
        {
          JsonArray *array = json_node_get_array (root);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *n = json_array_get_element (array, i);
              JsonArray *pair;

              if (!JSON_NODE_HOLDS_ARRAY (n) ||
                  json_array_get_length (pair = json_node_get_array (n)) != 2)
                continue;
              ks_json_writer_begin_object (w);
              ks_json_writer_member_string (w, "code", json_array_get_string_element (pair, 0));
              ks_json_writer_member_string (w, "value", json_array_get_string_element (pair, 1));
              ks_json_writer_end_object (w);
            }
        }
    }
  ks_json_writer_end_array (w);
}

/* "photos": [{"url", "update_id", "redacted"}...], from the store's JSON array of
 * [update_id, ref, redacted] (NULL: none). SQLite gives redacted as 0/1,
 * PostgreSQL as false/true. */
static void
member_photos (KsJsonWriter *w, const char *photos)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  ks_json_writer_key (w, "photos");
  ks_json_writer_begin_array (w);
  if (photos != NULL && photos[0] == '[' && photos[1] != ']')
    {
      parser = json_parser_new ();
      if (json_parser_load_from_data (parser, photos, -1, NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
        {
          JsonArray *array = json_node_get_array (root);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *n = json_array_get_element (array, i), *flag;
              JsonArray *photo;
              gint64 update_id;

              if (!JSON_NODE_HOLDS_ARRAY (n) ||
                  json_array_get_length (photo = json_node_get_array (n)) != 3)
                continue;
              update_id = json_array_get_int_element (photo, 0);
              flag = json_array_get_element (photo, 2);
              ks_json_writer_begin_object (w);
              ks_json_writer_member_string (w, "url", json_array_get_string_element (photo, 1));
              ks_json_writer_key (w, "update_id");
              if (update_id > 0)
                ks_json_writer_int (w, update_id);
              else
                ks_json_writer_null (w);
              ks_json_writer_member_bool (w, "redacted",
                                          json_node_get_value_type (flag) == G_TYPE_BOOLEAN
                                          ? json_node_get_boolean (flag)
                                          : json_node_get_int (flag) != 0);
              ks_json_writer_end_object (w);
            }
        }
    }
  ks_json_writer_end_array (w);
}

gboolean
ks_wire_report_personal_visible (const KsPrincipal *who,
                                 gint64             body_id)
{
  return who->body_id != 0 && who->body_id == body_id;
}

/* {"id", "name"} of a staff member, or null when id is 0. */
static void
member_user (KsJsonWriter *w, const char *key, gint64 id, const char *name)
{
  ks_json_writer_key (w, key);
  if (id == 0)
    {
      ks_json_writer_null (w);
      return;
    }
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", id);
  ks_json_writer_member_string (w, "name", name);
  ks_json_writer_end_object (w);
}

/* "reporter": {"name", "email", "phone", "show_name"} when visible, else null.
 * Returns TRUE when any personal data was written. */
static gboolean
member_reporter (KsJsonWriter *w, const KsReportRow *row, gboolean visible)
{
  if (!visible)
    {
      ks_json_writer_member_null (w, "reporter");
      return FALSE;
    }
  ks_json_writer_key (w, "reporter");
  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "name", row->reporter_name);
  ks_json_writer_member_string (w, "email", row->reporter_email);
  ks_json_writer_member_string (w, "phone", row->reporter_phone);
  ks_json_writer_member_bool (w, "show_name", row->show_name);
  ks_json_writer_end_object (w);
  return row->reporter_name != NULL || row->reporter_email != NULL ||
         row->reporter_phone != NULL;
}

/* ---- A page of the list ---- */

void
ks_wire_report_page_begin (KsWireReportPage *page,
                           KsJsonWriter     *w)
{
  page->w = w;
  page->next = 0;
  page->waiting = NULL;
  page->offsets = NULL;
  ks_json_writer_begin_array (w);
}

static void
write_list_item (KsJsonWriter *w, const KsReportRow *row)
{
  if (row->fragment != NULL)
    {
      /* The list members are the start of the kept sync item. */
      ks_json_writer_raw_len (w, row->fragment, row->fragment_list_len);
      g_string_append_c (w->str, '}');
      return;
    }
  ks_json_writer_begin_object (w);
  ks_wire_report_list_members (w, row);
  ks_json_writer_end_object (w);
}

/* Writes the waiting rows whose turn has come. */
static void
page_flush (KsWireReportPage *page)
{
  if (page->offsets == NULL)
    return;
  while (page->next < page->offsets->len)
    {
      gsize offset = g_array_index (page->offsets, gsize, page->next);
      if (offset == G_MAXSIZE)
        break;
      ks_json_writer_raw (page->w, page->waiting->str + offset);
      page->next++;
    }
}

void
ks_wire_report_page_row (const KsReportRow *row,
                         guint              index,
                         gpointer           user_data)
{
  KsWireReportPage *page = user_data;
  KsJsonWriter rw;
  gsize none = G_MAXSIZE;

  if (index == page->next)
    {
      write_list_item (page->w, row);
      page->next++;
      page_flush (page);
      return;
    }
  if (page->waiting == NULL)
    {
      page->waiting = g_string_sized_new (64 * 1024);
      page->offsets = g_array_sized_new (FALSE, FALSE, sizeof (gsize), 128);
    }
  while (page->offsets->len <= index)
    g_array_append_val (page->offsets, none);
  g_array_index (page->offsets, gsize, index) = page->waiting->len;
  ks_json_writer_init (&rw, page->waiting);
  write_list_item (&rw, row);
  g_string_append_c (page->waiting, '\0');
}

void
ks_wire_report_page_end (KsWireReportPage *page)
{
  /* Rows missing from the page (none, in a consistent read) are left out. */
  if (page->offsets != NULL)
    for (guint i = page->next; i < page->offsets->len; i++)
      {
        gsize offset = g_array_index (page->offsets, gsize, i);
        if (offset != G_MAXSIZE)
          ks_json_writer_raw (page->w, page->waiting->str + offset);
      }
  ks_json_writer_end_array (page->w);
  ks_wire_report_page_clear (page);
}

void
ks_wire_report_page_clear (KsWireReportPage *page)
{
  if (page->waiting != NULL)
    g_string_free (page->waiting, TRUE);
  page->waiting = NULL;
  g_clear_pointer (&page->offsets, g_array_unref);
}

/* ---- The sync page ---- */

/* A streamed sync page goes out in pieces of about this size. */
#define SYNC_CHUNK (256 * 1024)

typedef struct {
  KsJsonWriter      *w;
  const KsPrincipal *who;
  gboolean           with_reporter;
  guint              n_personal;
  KsWireFlushFunc    flush;
  gpointer           flush_data;
  gboolean           gone;       /* the client went: write no more */
  GArray            *rendered;   /* KsReportFragment: rendered here, for the store to keep */
} SyncWriter;

/* A report's sync item without the reporter: the same bytes for every caller,
 * which the store keeps (KsReportRow's fragment). */
static void
render_fragment (const KsReportRow *row,
                 KsReportFragment  *out)
{
  GString *str = g_string_sized_new (1024);
  KsJsonWriter w;

  ks_json_writer_init (&w, str);
  ks_json_writer_begin_object (&w);
  ks_wire_report_list_members (&w, row);
  out->list_len = str->len;
  ks_json_writer_member_string (&w, "detail", row->detail);
  ks_json_writer_member_string (&w, "address", row->address);
  ks_json_writer_member_string (&w, "photo", row->photo);
  member_user (&w, "acknowledged_by", row->acknowledged_by, row->acknowledged_by_name);
  member_id (&w, "shortlist_position", row->shortlist_position);
  ks_json_writer_member_timestamp (&w, "responded", row->responded);
  member_attributes (&w, "attributes", row->attributes);
  member_photos (&w, row->photos);
  member_id (&w, "duplicate_of", row->duplicate_of);
  ks_json_writer_end_object (&w);
  out->report_id = row->id;
  out->seq = row->seq;
  out->body = g_string_free (str, FALSE);
}

static void
sync_row (const KsReportRow *row,
          guint              index,
          gpointer           user_data)
{
  SyncWriter *s = user_data;
  KsJsonWriter *w = s->w;
  const char *item = row->fragment;
  gsize len = row->fragment_len;

  if (s->gone)
    return;
  if (s->flush != NULL && w->str->len >= SYNC_CHUNK && !s->flush (s->flush_data))
    {
      s->gone = TRUE;
      return;
    }
  if (item == NULL)
    {
      KsReportFragment f;

      render_fragment (row, &f);
      g_array_append_val (s->rendered, f);
      item = f.body;
      len = strlen (f.body);
    }
  if (!s->with_reporter)
    {
      ks_json_writer_raw_len (w, item, len);
      return;
    }
  /* The reporter goes in before the item's closing brace. */
  ks_json_writer_reopen_object (w, item, len);
  if (member_reporter (w, row, ks_wire_report_personal_visible (s->who, row->body_id)))
    s->n_personal++;
  ks_json_writer_end_object (w);
}

gboolean
ks_wire_report_write_sync (KsStore           *store,
                           const KsPrincipal *who,
                           gint64             since,
                           guint              limit,
                           gboolean           with_reporter,
                           gboolean           with_remaining,
                           KsJsonWriter      *w,
                           KsWireFlushFunc    flush,
                           gpointer           flush_data,
                           guint             *out_n_personal,
                           GError           **error)
{
  g_auto(KsSyncPage) page = { 0 };
  g_autoptr(GArray) rendered = g_array_new (FALSE, FALSE, sizeof (KsReportFragment));
  SyncWriter s = { w, who, with_reporter, 0, flush, flush_data, FALSE, rendered };
  g_autoptr(GError) keep_error = NULL;

  g_array_set_clear_func (rendered, (GDestroyNotify) ks_report_fragment_clear);
  *out_n_personal = 0;
  /* The reports stream out as the store gives them (on an error the caller
   * answers with the error instead). */
  ks_json_writer_begin_object (w);
  ks_json_writer_key (w, "reports");
  ks_json_writer_begin_array (w);
  if (!ks_store_reports_sync (store, who, since, limit, with_remaining, with_reporter, sync_row, &s,
                              &page, error))
    return FALSE;
  ks_json_writer_end_array (w);
  ks_json_writer_key (w, "tombstones");
  ks_json_writer_begin_array (w);
  for (guint i = 0; i < page.tombstones->len; i++)
    ks_json_writer_int (w, g_array_index (page.tombstones, gint64, i));
  ks_json_writer_end_array (w);
  if (with_remaining)
    ks_json_writer_member_int (w, "remaining", page.remaining);
  ks_json_writer_member_int (w, "seq", page.seq);
  ks_json_writer_member_bool (w, "more", page.more);
  ks_json_writer_end_object (w);
  *out_n_personal = s.n_personal;

  /* The items rendered here are kept for the next sync; the answer does not
   * depend on it. */
  if (!s.gone && rendered->len > 0 &&
      !ks_store_reports_keep_fragments (store, (const KsReportFragment *) rendered->data,
                                        rendered->len, &keep_error))
    g_message ("The rendered reports of a sync were not kept: %s", keep_error->message);
  return TRUE;
}

/* ---- Items kept ahead ---- */

/* A page of the walk: enough that a store at a million reports is walked in a
 * few hundred read transactions, few enough that one page's rendering (about a
 * quarter of a second) and its write are short. */
#define KEEP_AHEAD_PAGE 5000

typedef struct {
  GArray *rendered;   /* KsReportFragment */
  guint   walked;
} KeepAheadPage;

static void
keep_ahead_row (const KsReportRow *row,
                guint              index,
                gpointer           user_data)
{
  KeepAheadPage *p = user_data;
  KsReportFragment f;

  p->walked++;
  if (row->fragment != NULL)
    return;
  render_fragment (row, &f);
  g_array_append_val (p->rendered, f);
}

gboolean
ks_wire_report_keep_ahead (KsStore       *store,
                           GCancellable  *cancellable,
                           guint         *out_kept,
                           guint         *out_walked,
                           gint64        *out_since,
                           GError       **error)
{
  /* The server itself: every council's reports, none of their reporters. */
  KsPrincipal system = KS_PRINCIPAL_SYSTEM_INIT;
  gboolean any = FALSE, more = TRUE;
  gint64 first = 0, since;

  *out_kept = 0;
  *out_walked = 0;
  *out_since = 0;
  if (!ks_store_reports_first_unkept (store, &any, &first, error))
    return FALSE;
  if (!any)
    return TRUE;
  /* The walk gives the reports after since: from the first that lacks one. */
  since = *out_since = MAX (first - 1, 0);
  while (more)
    {
      g_auto(KsSyncPage) page = { 0 };
      g_autoptr(GArray) rendered = g_array_new (FALSE, FALSE, sizeof (KsReportFragment));
      KeepAheadPage p = { rendered, 0 };

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_array_set_clear_func (rendered, (GDestroyNotify) ks_report_fragment_clear);
      if (!ks_store_reports_sync (store, &system, since, KEEP_AHEAD_PAGE, FALSE, FALSE,
                                  keep_ahead_row, &p, &page, error))
        return FALSE;
      *out_walked += p.walked;
      /* A report changed since its row was read keeps nothing (the store
       * checks its seq): the next sync renders it. */
      if (rendered->len > 0 &&
          !ks_store_reports_keep_fragments (store, (const KsReportFragment *) rendered->data,
                                            rendered->len, error))
        return FALSE;
      *out_kept += rendered->len;
      since = page.seq;
      more = page.more;
    }
  return TRUE;
}

/* ---- The detail ---- */

typedef enum { IN_REPORT, IN_UPDATES, IN_MODERATION } DetailStage;

typedef struct {
  KsJsonWriter      *w;
  const KsPrincipal *who;
  DetailStage        stage;
  gboolean           personal;
} DetailWriter;

/* Opens the arrays up to stage (closing the one before). */
static void
detail_advance (DetailWriter *d, DetailStage stage)
{
  if (d->stage < IN_UPDATES && stage >= IN_UPDATES)
    {
      ks_json_writer_key (d->w, "updates");
      ks_json_writer_begin_array (d->w);
      d->stage = IN_UPDATES;
    }
  if (d->stage < IN_MODERATION && stage >= IN_MODERATION)
    {
      ks_json_writer_end_array (d->w);
      ks_json_writer_key (d->w, "moderation");
      ks_json_writer_begin_array (d->w);
      d->stage = IN_MODERATION;
    }
}

/* "grid": {"system": "EPSG:27700", "easting", "northing"} (metres, rounded to
 * the metre) where the British National Grid covers the point, else null. The
 * server converts (it has PROJ for the gazetteer's imports): the app needs
 * neither PROJ nor its database, and shows what the detail gives. */
static void
member_grid (KsJsonWriter *w, double lat, double lon)
{
  double e, n;

  ks_json_writer_key (w, "grid");
  if (!ks_bng_covers (lat, lon) || !ks_bng_from_wgs84 (lat, lon, &e, &n, NULL))
    {
      ks_json_writer_null (w);
      return;
    }
  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "system", "EPSG:27700");
  ks_json_writer_member_int (w, "easting", (gint64) round (e));
  ks_json_writer_member_int (w, "northing", (gint64) round (n));
  ks_json_writer_end_object (w);
}

static void
detail_report (const KsReportRow *row,
               gpointer           user_data)
{
  DetailWriter *d = user_data;
  KsJsonWriter *w = d->w;

  ks_json_writer_begin_object (w);
  ks_wire_report_list_members (w, row);
  ks_json_writer_member_string (w, "detail", row->detail);
  ks_json_writer_member_string (w, "address", row->address);
  ks_json_writer_member_string (w, "photo", row->photo);
  ks_json_writer_member_string (w, "source", row->source);
  member_id (w, "shortlist_position", row->shortlist_position);
  member_user (w, "acknowledged_by", row->acknowledged_by, row->acknowledged_by_name);
  member_user (w, "shortlist_holder", row->shortlist_user, row->shortlist_holder_name);
  ks_json_writer_member_timestamp (w, "responded", row->responded);
  member_attributes (w, "attributes", row->attributes);
  member_photos (w, row->photos);
  member_grid (w, row->lat, row->lon);
  /* Personal data only to staff of the report's own council. */
  d->personal = member_reporter (w, row, ks_wire_report_personal_visible (d->who, row->body_id));
}

static void
detail_update (const KsUpdateRow *u,
               gpointer           user_data)
{
  DetailWriter *d = user_data;
  KsJsonWriter *w = d->w;

  detail_advance (d, IN_UPDATES);
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", u->id);
  ks_json_writer_member_string (w, "kind", u->kind);
  ks_json_writer_member_string (w, "text", u->text);
  ks_json_writer_member_string (w, "state", u->state);
  member_id (w, "priority_id", u->priority_id);
  ks_json_writer_member_string (w, "user", u->user);
  member_id (w, "user_id", u->user_id);
  ks_json_writer_member_bool (w, "public", u->is_public);
  ks_json_writer_member_timestamp (w, "created", u->created);
  ks_json_writer_member_string (w, "photo", u->photo);
  ks_json_writer_member_string (w, "source", u->source);
  ks_json_writer_member_bool (w, "hidden", u->hidden);
  member_attributes (w, "previous_attributes", u->previous_attributes);
  ks_json_writer_end_object (w);
}

/* "key": true/false, or null when -1. */
static void
member_tristate (KsJsonWriter *w, const char *key, int value)
{
  ks_json_writer_key (w, key);
  if (value < 0)
    ks_json_writer_null (w);
  else
    ks_json_writer_bool (w, value != 0);
}

static void
detail_moderation (const KsModerationRow *m,
                   gpointer               user_data)
{
  DetailWriter *d = user_data;
  KsJsonWriter *w = d->w;

  detail_advance (d, IN_MODERATION);
  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", m->id);
  ks_json_writer_member_string (w, "user", m->user);
  member_id (w, "user_id", m->user_id);
  ks_json_writer_member_string (w, "reason", m->reason);
  ks_json_writer_member_timestamp (w, "created", m->created);
  member_id (w, "update_id", m->update_id);
  ks_json_writer_member_string (w, "action", m->action ? m->action : "edit");
  if (m->new_photo != NULL)
    {
      /* A redaction or its undoing: the photos before and after, whose files only
       * moderators may open (the other one is kept for them alone). */
      gboolean moderator = ks_principal_can (d->who, KS_PERM_MODERATE_REPORT);

      ks_json_writer_key (w, "before");
      ks_json_writer_begin_object (w);
      ks_json_writer_member_string (w, "photo", moderator ? m->old_photo : NULL);
      ks_json_writer_end_object (w);
      ks_json_writer_key (w, "after");
      ks_json_writer_begin_object (w);
      ks_json_writer_member_string (w, "photo", m->new_photo);
      ks_json_writer_end_object (w);
    }
  else
    ks_wire_report_moderation_change (w, m);
  ks_json_writer_end_object (w);
}

void
ks_wire_report_moderation_change (KsJsonWriter          *w,
                                  const KsModerationRow *m)
{
  if (m->update_id != 0)
    {
      /* About one update: its text and whether it was hidden. */
      ks_json_writer_key (w, "before");
      ks_json_writer_begin_object (w);
      ks_json_writer_member_string (w, "text", m->old_text);
      member_tristate (w, "hidden", m->old_hidden);
      ks_json_writer_end_object (w);
      ks_json_writer_key (w, "after");
      ks_json_writer_begin_object (w);
      ks_json_writer_member_string (w, "text", m->new_text);
      member_tristate (w, "hidden", m->new_hidden);
      ks_json_writer_end_object (w);
      return;
    }
  ks_json_writer_key (w, "before");
  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "title", m->old_title);
  ks_json_writer_member_string (w, "detail", m->old_detail);
  member_tristate (w, "show_name", m->old_show_name);
  ks_json_writer_member_string (w, "photo", m->old_photo);
  ks_json_writer_end_object (w);
  ks_json_writer_key (w, "after");
  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "title", m->new_title);
  ks_json_writer_member_string (w, "detail", m->new_detail);
  member_tristate (w, "show_name", m->new_show_name);
  ks_json_writer_member_string (w, "photo", m->photo_removed ? NULL : m->old_photo);
  ks_json_writer_end_object (w);
}

/* Every media URL Open311 clients sent with the report and its updates. */
static void
detail_media (const KsOpen311Media *m,
              gpointer              user_data)
{
  KsJsonWriter *w = user_data;

  ks_json_writer_begin_object (w);
  ks_json_writer_member_string (w, "url", m->url);
  member_id (w, "update_id", m->update_id);
  ks_json_writer_end_object (w);
}

/* One email to the resident: queued (with when it is due), sent (when),
 * opted_out, failed (why) or skipped (why). */
static void
detail_email (const KsNotice *n,
              gpointer        user_data)
{
  KsJsonWriter *w = user_data;

  ks_json_writer_begin_object (w);
  ks_json_writer_member_int (w, "id", n->id);
  ks_json_writer_member_string (w, "kind", n->kind);
  ks_json_writer_member_string (w, "state", n->state);
  ks_json_writer_member_timestamp (w, "created", n->created);
  ks_json_writer_member_timestamp (w, "due", n->due);
  ks_json_writer_member_timestamp (w, "sent", n->sent);
  ks_json_writer_member_string (w, "subject", n->subject);
  ks_json_writer_member_string (w, "error", n->error);
  ks_json_writer_member_string (w, "answer", n->answer);
  ks_json_writer_member_timestamp (w, "answered", n->answered);
  ks_json_writer_end_object (w);
}

static const KsReportDetailFuncs detail_funcs = {
  detail_report, detail_update, detail_moderation,
};

gboolean
ks_wire_report_write_detail (KsStore           *store,
                             const KsPrincipal *who,
                             gint64             report_id,
                             KsJsonWriter      *w,
                             gint64            *out_body_id,
                             gboolean          *out_personal,
                             GError           **error)
{
  DetailWriter d = { w, who, IN_REPORT, FALSE };
  gint64 body_id = 0;

  if (out_personal)
    *out_personal = FALSE;
  if (!ks_store_reports_detail (store, who, report_id, &detail_funcs, &d, &body_id, error))
    return FALSE;
  if (out_body_id)
    *out_body_id = body_id;
  detail_advance (&d, IN_MODERATION);
  ks_json_writer_end_array (w);
  ks_json_writer_key (w, "media_urls");
  ks_json_writer_begin_array (w);
  if (!ks_store_open311_foreach_media (store, report_id, detail_media, w, error))
    return FALSE;
  ks_json_writer_end_array (w);
  if (!ks_wire_duplicates_write_links (store, report_id, w, error))
    return FALSE;
  /* What was emailed to the resident is personal data too. */
  if (ks_wire_report_personal_visible (who, body_id))
    {
      ks_json_writer_key (w, "emails");
      ks_json_writer_begin_array (w);
      if (!ks_store_notices_list (store, report_id, detail_email, w, error))
        return FALSE;
      ks_json_writer_end_array (w);
    }
  /* Where it was sent on (the destinations are the council's teams and contractors). */
  if (!ks_wire_sendings_write (store, report_id, w, error))
    return FALSE;
  ks_json_writer_end_object (w);
  if (out_personal)
    *out_personal = d.personal;
  return TRUE;
}

/* ---- The shortlist ---- */

static void
shortlist_row (const KsReportRow *row,
               guint              index,
               gpointer           user_data)
{
  KsJsonWriter *w = user_data;

  ks_json_writer_begin_object (w);
  ks_wire_report_list_members (w, row);
  ks_json_writer_member_int (w, "shortlist_position", row->shortlist_position);
  ks_json_writer_end_object (w);
}

gboolean
ks_wire_report_write_shortlist (KsStore      *store,
                                gint64        user_id,
                                KsJsonWriter *w,
                                GError      **error)
{
  ks_json_writer_begin_object (w);
  ks_json_writer_key (w, "reports");
  ks_json_writer_begin_array (w);
  if (!ks_store_actions_shortlist (store, user_id, shortlist_row, w, error))
    return FALSE;
  ks_json_writer_end_array (w);
  ks_json_writer_member_null (w, "next_cursor");
  ks_json_writer_end_object (w);
  return TRUE;
}
