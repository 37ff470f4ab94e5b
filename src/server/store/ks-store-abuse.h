/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-abuse.h: the store's abuse lists (see ks-store.h): each council's
 * email addresses, phone numbers and email domains that may not report
 * (councils/ks-abuse-list.h normalises the values and checks reports). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

typedef struct {
  gint64  id;
  char   *kind;        /* email, phone, domain */
  char   *value;       /* normalised */
  char   *reason;
  gint64  created;
  char   *created_by;  /* the staff member's name; NULL: the command line or gone */
} KsAbuseEntry;

void ks_abuse_entry_clear (KsAbuseEntry *entry);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsAbuseEntry, ks_abuse_entry_clear)

typedef struct {
  gboolean (*list)   (KsStore *self, gint64 body_id, GArray **out, GError **error);
  gboolean (*add)    (KsStore *self, gint64 body_id, const char *kind, const char *value,
                      const char *reason, gint64 user_id, gint64 *out_id, GError **error);
  gboolean (*remove) (KsStore *self, gint64 body_id, gint64 id, KsAbuseEntry *out_removed,
                      gboolean *out_found, GError **error);
  gboolean (*match)  (KsStore *self, gint64 body_id, const char *email, const char *domain,
                      const char *phone, KsAbuseEntry *out, gboolean *out_found,
                      GError **error);
} KsStoreAbuseVTable;

/* The council's list, newest first (KsAbuseEntry; free with g_array_unref). */
gboolean ks_store_abuse_list   (KsStore *self, gint64 body_id, GArray **out, GError **error);
/* Adds an entry (inside a write); *out_id 0 when the council lists it already. */
gboolean ks_store_abuse_add    (KsStore *self, gint64 body_id, const char *kind,
                                const char *value, const char *reason, gint64 user_id,
                                gint64 *out_id, GError **error);
/* Removes the council's entry id (inside a write), giving what it was. */
gboolean ks_store_abuse_remove (KsStore *self, gint64 body_id, gint64 id,
                                KsAbuseEntry *out_removed, gboolean *out_found,
                                GError **error);
/* The council's entry that bans a reporter: the email (lower-cased), its domain
 * or a parent domain of it, or the phone (its last digits, as normalised); any
 * may be NULL. */
gboolean ks_store_abuse_match  (KsStore *self, gint64 body_id, const char *email,
                                const char *domain, const char *phone, KsAbuseEntry *out,
                                gboolean *out_found, GError **error);

GArray  *ks_abuse_entries_new  (void);

G_END_DECLS
