/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-open311.h: the store's Open311 operations (see ks-store.h): councils as
 * jurisdictions, categories as services, public reports and updates, reports and
 * updates sent in by Open311 clients, and the clients' API keys.
 *
 * Everything read here is public output: hidden and unconfirmed reports, reports in
 * private categories and all personal data are left out by the queries themselves. */
#pragma once

#include <glib-object.h>
#include "auth/ks-principal.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* How long an Open311 client's Idempotency-Key answers again: a day. */
#define KS_OPEN311_IDEMPOTENCY_KEEP (24 * 3600)

/* A council, as an Open311 jurisdiction. */
typedef struct {
  gint64    id;
  char     *slug;
  char     *name;
  char     *email;
  gboolean  has_area;      /* the bounding box of its area is known */
  double    min_lat, min_lon, max_lat, max_lon;
} KsOpen311Body;

void ks_open311_body_clear (KsOpen311Body *body);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsOpen311Body, ks_open311_body_clear)

/* A category, as an Open311 service. */
typedef struct {
  gint64    id;
  char     *code;
  char     *name;
  char     *group_name;    /* one or more groups separated by '|' */
  char     *description;
  char     *extra;         /* JSON array of extra questions */
  gboolean  active;
  gboolean  is_private;
} KsOpen311Service;

void ks_open311_service_free (KsOpen311Service *service);
void ks_open311_service_clear (KsOpen311Service *service);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsOpen311Service, ks_open311_service_clear)

typedef struct {
  gint64    id;
  gint64    body_id;
  char     *body_slug;
  char     *name;
  gint64    created;
  gint64    revoked;       /* 0 while the key works */
  gint64    last_used;     /* 0: never */
  gboolean  notify_residents;  /* its reports' residents get emails (ks-store-notices.h) */
} KsApiKey;

void ks_api_key_free (KsApiKey *key);
void ks_api_key_clear (KsApiKey *key);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsApiKey, ks_api_key_clear)

/* A public report as GET requests shows it. The strings belong to the store and
 * are valid only during the callback. */
typedef struct {
  gint64      id;
  const char *state;          /* Kerbside state id */
  const char *status_notes;   /* text of the latest public update, or NULL */
  const char *service_name;
  const char *service_code;
  const char *title;
  const char *detail;
  gint64      created;
  gint64      updated;
  const char *address;
  double      lat;
  double      lon;
  const char *media_url;
  /* Every public photo of the request, media_url first: a JSON array of the
   * media URLs an Open311 client sent with it (while its photo stands), then its
   * stored photos ("/api/v1/media/NAME"), each in order (NULL or "[]": none). */
  const char *media_urls;
} KsOpen311Request;

typedef gboolean (*KsOpen311RequestFunc) (const KsOpen311Request *request, gpointer user_data);

typedef enum {
  KS_OPEN311_STATUS_ANY,
  KS_OPEN311_STATUS_OPEN,     /* the states of kind open */
  KS_OPEN311_STATUS_CLOSED,   /* the states of kind fixed or closed */
} KsOpen311StatusFilter;

/* The state ids a status filter keeps, in the order of the states (const char *,
 * static strings); empty for KS_OPEN311_STATUS_ANY. */
GPtrArray *ks_open311_status_states (KsOpen311StatusFilter status);

typedef struct {
  gint64                body_id;
  const gint64         *ids;     /* service_request_id filter, n_ids of them */
  guint                 n_ids;
  const char * const   *codes;   /* service_code filter, n_codes of them */
  guint                 n_codes;
  gint64                start;   /* requested_datetime >= start, when not 0 */
  gint64                end;     /* requested_datetime <= end, when not 0 */
  KsOpen311StatusFilter status;
  guint                 offset;
  guint                 limit;
} KsOpen311Query;

/* A public update as GET servicerequestupdates shows it (strings as above). */
typedef struct {
  gint64      id;
  gint64      report_id;
  const char *state;          /* the report's state after this update */
  gint64      created;
  const char *text;
  const char *media_url;
  const char *external_status_code;  /* the template's it was made from, else state */
} KsOpen311Update;

typedef gboolean (*KsOpen311UpdateFunc) (const KsOpen311Update *update, gpointer user_data);

/* A report sent in by an Open311 client. */
typedef struct {
  gint64        body_id;
  gint64        category_id;
  const char   *title;
  const char   *detail;
  double        lat;
  double        lon;
  const char   *address;
  const char   *reporter_name;
  const char   *reporter_email;
  const char   *reporter_phone;
  const char   *media_url;      /* the first of media_urls (the report's photo) */
  const char * const *media_urls; /* every media URL sent, in order */
  guint         n_media_urls;
  /* extra question answers: code, value, code, value... */
  const char * const *attributes;
  guint         n_attributes;
  /* from the council's boundaries; NULL: none imported (the nearest report's) */
  const char   *ward;
} KsOpen311NewRequest;

/* An update sent in by an Open311 client. */
typedef struct {
  gint64      report_id;
  const char *new_state;      /* NULL: the state stays */
  const char *text;
  const char *media_url;      /* the first of media_urls (the update's photo) */
  const char * const *media_urls; /* every media URL sent, in order */
  guint       n_media_urls;
  const char *external_id;    /* the client's update id */
  const char *author_name;
  const char *author_email;
  gint64      created;        /* when it was written, as the client says */
} KsOpen311NewUpdate;

/* A media URL an Open311 client sent (strings as above). */
typedef struct {
  gint64      update_id;      /* 0: sent with the report itself */
  int         position;
  const char *url;
} KsOpen311Media;

typedef void (*KsOpen311MediaFunc) (const KsOpen311Media *media, gpointer user_data);

/* What is needed to check an update against its report. */
typedef struct {
  gint64    id;
  gint64    body_id;
  char     *state;
  gint64    created;
  gboolean  is_public;       /* public state and category: Open311 may see it */
  gint64    state_changed;   /* when its state last changed (an update with a state); 0: never */
} KsOpen311ReportInfo;

void ks_open311_report_info_clear (KsOpen311ReportInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsOpen311ReportInfo, ks_open311_report_info_clear)

typedef struct {
  /* slug NULL: the first council. */
  gboolean (*find_body)       (KsStore *self, const char *slug, gboolean *found,
                               KsOpen311Body *out, GError **error);
  /* The council's categories, all of them, by name (KsOpen311Service *). */
  gboolean (*list_services)   (KsStore *self, gint64 body_id, GPtrArray **out, GError **error);
  gboolean (*get_service)     (KsStore *self, gint64 body_id, const char *code,
                               gboolean *found, KsOpen311Service *out, GError **error);
  /* Public reports matching q, newest first; stops early when func returns FALSE. */
  gboolean (*foreach_request) (KsStore *self, const KsOpen311Query *q,
                               KsOpen311RequestFunc func, gpointer user_data, GError **error);
  /* Public updates of public reports with start <= created <= end, oldest first;
   * at most limit of them (0: all, the store holding only a bounded number of
   * rows at a time). */
  gboolean (*foreach_update)  (KsStore *self, gint64 body_id, gint64 start, gint64 end,
                               guint limit, KsOpen311UpdateFunc func, gpointer user_data,
                               GError **error);
  gboolean (*get_report_info) (KsStore *self, gint64 report_id, gboolean *found,
                               KsOpen311ReportInfo *out, GError **error);
  /* Inside a write: adds the report (state confirmed, source open311). */
  gboolean (*create_request)  (KsStore *self, const KsOpen311NewRequest *request,
                               gint64 *out_id, GError **error);
  /* The update an Open311 client already sent with this id; *out_id 0 when none. */
  gboolean (*find_client_update) (KsStore *self, gint64 report_id, const char *external_id,
                               gint64 *out_id, GError **error);
  /* Inside a write: adds the update, changes the state if asked, bumps the report. */
  gboolean (*add_update)      (KsStore *self, const KsOpen311NewUpdate *update,
                               gint64 *out_id, GError **error);

  /* Every media URL clients sent with the report and its updates: the report's
   * first, then by update, each in the order sent. */
  gboolean (*foreach_media)   (KsStore *self, gint64 report_id, KsOpen311MediaFunc func,
                               gpointer user_data, GError **error);

  /* API keys. key_hash is ks_token_hash() of the key. */
  gboolean (*create_api_key)  (KsStore *self, gint64 body_id, const char *name,
                               const char *key_hash, gint64 *out_id, GError **error);
  /* A live (not revoked) key. */
  gboolean (*find_api_key)    (KsStore *self, const char *key_hash,
                               gboolean *found, KsApiKey *out, GError **error);
  /* Records the key's use at now (last_used). */
  gboolean (*touch_api_key)   (KsStore *self, gint64 id, gint64 now, GError **error);
  gboolean (*get_api_key)     (KsStore *self, gint64 id, gboolean *found, KsApiKey *out,
                               GError **error);
  /* body_id 0: every council's keys (KsApiKey *), newest first. */
  gboolean (*list_api_keys)   (KsStore *self, gint64 body_id, GPtrArray **out, GError **error);
  /* Sets revoked to now unless already revoked. */
  gboolean (*revoke_api_key)  (KsStore *self, gint64 id, GError **error);

  /* Idempotency-Key on a client's POST requests (ks-open311-idempotency.c). Inside
   * a write: claims key for the API key with the request's hash (a claim made
   * before since is forgotten first). *out_claimed FALSE when the key was already
   * used: then the stored hash, status and answer. */
  gboolean (*claim_idempotency)  (KsStore *self, gint64 api_key_id, const char *key,
                                  const char *request_hash, gint64 now, gint64 since,
                                  gboolean *out_claimed, char **out_hash,
                                  guint *out_status, char **out_response, GError **error);
  /* Inside the same write: the answer to the key claimed. */
  gboolean (*answer_idempotency) (KsStore *self, gint64 api_key_id, const char *key,
                                  guint status, const char *response, GError **error);
} KsStoreOpen311VTable;

gboolean ks_store_open311_find_body       (KsStore *self, const char *slug, gboolean *found,
                                           KsOpen311Body *out, GError **error);
gboolean ks_store_open311_list_services   (KsStore *self, gint64 body_id, GPtrArray **out,
                                           GError **error);
gboolean ks_store_open311_get_service     (KsStore *self, gint64 body_id, const char *code,
                                           gboolean *found, KsOpen311Service *out,
                                           GError **error);
gboolean ks_store_open311_foreach_request (KsStore *self, const KsOpen311Query *q,
                                           KsOpen311RequestFunc func, gpointer user_data,
                                           GError **error);
gboolean ks_store_open311_foreach_update  (KsStore *self, gint64 body_id, gint64 start,
                                           gint64 end, guint limit, KsOpen311UpdateFunc func,
                                           gpointer user_data, GError **error);
gboolean ks_store_open311_get_report_info (KsStore *self, gint64 report_id, gboolean *found,
                                           KsOpen311ReportInfo *out, GError **error);
gboolean ks_store_open311_create_request  (KsStore *self, const KsOpen311NewRequest *request,
                                           gint64 *out_id, GError **error);
gboolean ks_store_open311_find_client_update (KsStore *self, gint64 report_id,
                                           const char *external_id, gint64 *out_id,
                                           GError **error);
gboolean ks_store_open311_add_update      (KsStore *self, const KsOpen311NewUpdate *update,
                                           gint64 *out_id, GError **error);
gboolean ks_store_open311_foreach_media   (KsStore *self, gint64 report_id,
                                           KsOpen311MediaFunc func, gpointer user_data,
                                           GError **error);
gboolean ks_store_open311_create_api_key  (KsStore *self, gint64 body_id, const char *name,
                                           const char *key_hash, gint64 *out_id, GError **error);
/* A live (not revoked) key; touch records its use (at most once a minute; a
 * failure to record it is only logged). */
gboolean ks_store_open311_find_api_key    (KsStore *self, const char *key_hash, gboolean touch,
                                           gboolean *found, KsApiKey *out, GError **error);
gboolean ks_store_open311_get_api_key     (KsStore *self, gint64 id, gboolean *found,
                                           KsApiKey *out, GError **error);
gboolean ks_store_open311_list_api_keys   (KsStore *self, gint64 body_id, GPtrArray **out,
                                           GError **error);
gboolean ks_store_open311_revoke_api_key  (KsStore *self, gint64 id, GError **error);
gboolean ks_store_open311_claim_idempotency (KsStore *self, gint64 api_key_id,
                                           const char *key, const char *request_hash,
                                           gint64 now, gint64 since, gboolean *out_claimed,
                                           char **out_hash, guint *out_status,
                                           char **out_response, GError **error);
gboolean ks_store_open311_answer_idempotency (KsStore *self, gint64 api_key_id,
                                           const char *key, guint status,
                                           const char *response, GError **error);

G_END_DECLS
