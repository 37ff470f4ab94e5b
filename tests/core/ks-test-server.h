/* ks-test-server.h: runs the real kerbside-server for the core tests. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KS_TEST_PASSWORD "street-lamp-orange-42"

typedef struct {
  char        *dir;       /* temp dir: database, port file, XDG dirs */
  char        *db;
  char        *url;       /* http://127.0.0.1:PORT */
  guint        port;
  GSubprocess *proc;
} KsTestServer;

/* Points XDG_* at fresh directories under a new temp dir (call first in main). */
char         *ks_test_init_env      (void);
/* Makes a demo database with n reports and starts the server on it. */
KsTestServer *ks_test_server_new    (const char *dir, int n_reports);
void          ks_test_server_stop   (KsTestServer *server);
/* Starts again on the same database and the same port. */
void          ks_test_server_start  (KsTestServer *server);
void          ks_test_server_free   (KsTestServer *server);
/* A single integer from the server's database (read-only, while it runs). */
gint64        ks_test_server_query_int (KsTestServer *server, const char *sql);

/* Runs the main loop until *result is set. */
void          ks_test_wait          (GAsyncResult **result);
/* The GAsyncReadyCallback that stores the result for ks_test_wait(). */
void          ks_test_store_result  (GObject *source, GAsyncResult *result, gpointer user_data);
/* Runs the main loop until cond(data) is TRUE or timeout_s passed. */
gboolean      ks_test_wait_for      (gboolean (*cond) (gpointer), gpointer data, guint timeout_s);

G_END_DECLS
