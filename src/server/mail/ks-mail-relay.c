/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-mail-relay.c: a small SMTP client that delivers the outbox to a relay.
 *
 * Written by hand: GLib has no SMTP client and the job is small (EHLO, STARTTLS,
 * AUTH PLAIN, MAIL/RCPT/DATA to one trusted relay), while a library such as
 * libcurl would add a large dependency for these few lines. */
#define G_LOG_DOMAIN "ks-mail-relay"

#include "mail/ks-mail-relay.h"
#include "mail/ks-mailer.h"
#include "ks-error.h"
#include "ks-worker-loop.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

/* Several instances may share one outbox directory (PostgreSQL, docs/deploy.md).
 * An instance claims a message before sending it by renaming it into a directory
 * of its own, sending/INSTANCE/: a rename is atomic, so exactly one instance
 * wins each message and sends it. A claim older than this (its instance died
 * while sending) goes back to the outbox for any instance to claim again; a
 * delivery takes a few of the 30 s network timeouts at most. */
#define CLAIM_STALE_SECONDS (10 * 60)

struct _KsMailRelay
{
  KsServerConfig  config;   /* the strings are borrowed from the server's config */
  KsWorkerLoop   *loop;
  char           *sending_dir;  /* OUTBOX/sending */
  char           *claim_dir;    /* OUTBOX/sending/INSTANCE: this instance's claims */
};

typedef struct {
  GIOStream        *stream;
  GDataInputStream *in;
  GOutputStream    *out;
} Conn;

static void
conn_clear (Conn *c)
{
  g_clear_object (&c->in);
  if (c->stream)
    g_io_stream_close (c->stream, NULL, NULL);
  g_clear_object (&c->stream);
  c->out = NULL;
}

static void
conn_attach (Conn *c, GIOStream *stream)
{
  g_clear_object (&c->in);
  g_clear_object (&c->stream);
  c->stream = stream;
  c->in = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  g_data_input_stream_set_newline_type (c->in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (c->in), FALSE);
  c->out = g_io_stream_get_output_stream (stream);
}

/* Reads a (possibly multi-line) reply; fails unless its code is expected. */
static gboolean
expect (Conn *c, int expected, const char *step, GError **error)
{
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (c->in, NULL, NULL, error);
      int code;

      if (line == NULL)
        {
          if (error && *error == NULL)
            g_set_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE,
                         "The mail relay closed the connection during %s.", step);
          return FALSE;
        }
      if (strlen (line) < 3)
        continue;
      code = atoi (line);
      if (line[3] == '-')
        continue;
      if (code / 100 != expected / 100)
        {
          g_set_error (error, KS_ERROR, KS_ERROR_UNAVAILABLE,
                       "The mail relay refused %s: %s", step, line);
          return FALSE;
        }
      return TRUE;
    }
}

static gboolean
say (Conn *c, const char *text, GError **error)
{
  return g_output_stream_write_all (c->out, text, strlen (text), NULL, NULL, error) &&
         g_output_stream_write_all (c->out, "\r\n", 2, NULL, NULL, error);
}

static gboolean
command (Conn *c, const char *text, int expected, const char *step, GError **error)
{
  return say (c, text, error) && expect (c, expected, step, error);
}

/* The bare address of the first "Name <addr>" or "addr" in a header value. */
static char *
header_address (const char *value)
{
  const char *lt = strchr (value, '<');
  const char *gt = lt ? strchr (lt, '>') : NULL;

  if (lt && gt)
    return g_strndup (lt + 1, gt - lt - 1);
  return g_strstrip (g_strdup (value));
}

static gboolean
find_header (const char *message, const char *name, char **out)
{
  gsize nlen = strlen (name);
  const char *p = message;

  while (*p && !(p[0] == '\r' && p[1] == '\n') && *p != '\n')
    {
      const char *eol = strchr (p, '\n');
      if (g_ascii_strncasecmp (p, name, nlen) == 0 && p[nlen] == ':')
        {
          const char *v = p + nlen + 1;
          const char *end = eol ? eol : p + strlen (p);
          if (end > v && end[-1] == '\r')
            end--;
          g_autofree char *raw = g_strndup (v, end - v);
          *out = header_address (raw);
          return TRUE;
        }
      if (eol == NULL)
        break;
      p = eol + 1;
    }
  return FALSE;
}

gboolean
ks_mail_relay_send_file (const KsServerConfig *config,
                         const char           *path,
                         GError              **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) sc = NULL;
  g_autofree char *message = NULL;
  g_autofree char *from = NULL, *to = NULL;
  g_autofree char *cmd = NULL;
  g_autoptr(GString) data = NULL;
  Conn c = { 0 };
  gboolean ok = FALSE;

  if (!g_file_get_contents (path, &message, NULL, error))
    return FALSE;
  if (!find_header (message, "From", &from) || !find_header (message, "To", &to))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID, "%s has no From or To header.", path);
      return FALSE;
    }

  g_socket_client_set_timeout (client, 30);
  sc = g_socket_client_connect_to_host (client, config->smtp_host, config->smtp_port, NULL, error);
  if (sc == NULL)
    return FALSE;
  conn_attach (&c, G_IO_STREAM (g_object_ref (sc)));

  if (!expect (&c, 220, "the greeting", error) ||
      !command (&c, "EHLO kerbside", 250, "EHLO", error))
    goto out;

  if (config->smtp_starttls)
    {
      g_autoptr(GSocketConnectable) id = g_network_address_new (config->smtp_host, config->smtp_port);
      GIOStream *tls;

      if (!command (&c, "STARTTLS", 220, "STARTTLS", error))
        goto out;
      tls = g_tls_client_connection_new (G_IO_STREAM (sc), id, error);
      if (tls == NULL)
        goto out;
      if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, error))
        {
          g_object_unref (tls);
          goto out;
        }
      g_clear_object (&c.in);
      g_clear_object (&c.stream);
      conn_attach (&c, tls);
      if (!command (&c, "EHLO kerbside", 250, "EHLO", error))
        goto out;
    }

  if (config->smtp_username != NULL && config->smtp_password != NULL)
    {
      gsize ulen = strlen (config->smtp_username), plen = strlen (config->smtp_password);
      g_autofree guchar *plain = g_malloc (ulen + plen + 2);
      g_autofree char *b64 = NULL;

      plain[0] = '\0';
      memcpy (plain + 1, config->smtp_username, ulen);
      plain[ulen + 1] = '\0';
      memcpy (plain + ulen + 2, config->smtp_password, plen);
      b64 = g_base64_encode (plain, ulen + plen + 2);
      memset (plain, 0, ulen + plen + 2);
      cmd = g_strconcat ("AUTH PLAIN ", b64, NULL);
      memset (b64, 0, strlen (b64));
      if (!command (&c, cmd, 235, "the sign-in (AUTH)", error))
        goto out;
      g_clear_pointer (&cmd, g_free);
    }

  cmd = g_strdup_printf ("MAIL FROM:<%s>", from);
  if (!command (&c, cmd, 250, "the sender", error))
    goto out;
  g_clear_pointer (&cmd, g_free);
  cmd = g_strdup_printf ("RCPT TO:<%s>", to);
  if (!command (&c, cmd, 250, "the recipient", error))
    goto out;
  if (!command (&c, "DATA", 354, "DATA", error))
    goto out;

  /* The message with CRLF line ends and leading dots doubled. */
  data = g_string_sized_new (strlen (message) + 64);
  {
    gboolean at_line_start = TRUE;
    for (const char *p = message; *p; p++)
      {
        if (at_line_start && *p == '.')
          g_string_append_c (data, '.');
        if (*p == '\n' && (p == message || p[-1] != '\r'))
          g_string_append_c (data, '\r');
        g_string_append_c (data, *p);
        at_line_start = *p == '\n';
      }
    if (!at_line_start)
      g_string_append (data, "\r\n");
    g_string_append (data, ".");
  }
  if (!say (&c, data->str, error) || !expect (&c, 250, "the message", error))
    goto out;
  say (&c, "QUIT", NULL);
  ok = TRUE;

out:
  conn_clear (&c);
  return ok;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

typedef enum {
  MOVED,
  ERASED,   /* gone before the move, or dropped after it */
  NOT_MOVED /* errno says why */
} Move;

/* Moves message name from one place on its way to the next (a rename). An
 * erasure may remove it at any step (ks_mailer_remove_file() notes its name,
 * then deletes every copy): a copy of an erased message is dropped once
 * moved, and one that is missing was erased. */
static Move
move_message (const char *outbox_dir,
              const char *name,
              const char *from,
              const char *to)
{
  if (g_rename (from, to) != 0)
    return errno == ENOENT ? ERASED : NOT_MOVED;
  if (ks_mailer_was_erased (outbox_dir, name))
    {
      g_unlink (to);
      return ERASED;
    }
  return MOVED;
}

/* Claims that instances which died while sending left behind go back to the outbox. */
static void
return_stale_claims (KsMailRelay *relay)
{
  g_autoptr(GDir) dirs = g_dir_open (relay->sending_dir, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *instance;

  if (dirs == NULL)
    return;
  while ((instance = g_dir_read_name (dirs)) != NULL)
    {
      g_autofree char *dir_path = g_build_filename (relay->sending_dir, instance, NULL);
      g_autoptr(GDir) dir = NULL;
      const char *name;

      if (strcmp (dir_path, relay->claim_dir) == 0 || (dir = g_dir_open (dir_path, 0, NULL)) == NULL)
        continue;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *back = g_build_filename (relay->config.outbox_dir, name, NULL);
          GStatBuf st;

          if (!g_str_has_suffix (name, ".eml") || g_stat (path, &st) != 0 ||
              now - (gint64) st.st_mtime < CLAIM_STALE_SECONDS)
            continue;
          if (move_message (relay->config.outbox_dir, name, path, back) == MOVED)
            g_message ("Returned %s to the outbox: its instance (%s) did not deliver it", name,
                       instance);
        }
      g_rmdir (dir_path);   /* only when empty */
    }
}

static void
deliver_pending (KsMailRelay *relay, KsWorkerLoop *loop)
{
  const KsServerConfig *config = &relay->config;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sent_dir = g_build_filename (config->outbox_dir, "sent", NULL);
  const char *name;

  return_stale_claims (relay);
  dir = g_dir_open (config->outbox_dir, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  if (names->len > 0)
    {
      g_mkdir_with_parents (sent_dir, 0700);
      g_mkdir_with_parents (relay->claim_dir, 0700);
    }

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (config->outbox_dir, names->pdata[i], NULL);
      g_autofree char *claimed = g_build_filename (relay->claim_dir, names->pdata[i], NULL);
      g_autofree char *done = g_build_filename (sent_dir, names->pdata[i], NULL);
      const char *file = names->pdata[i];

      if (ks_worker_loop_stopping (loop))
        return;

      /* Ours only if the rename wins: another instance may have claimed it
       * (gone is the same as erased here: not ours to send). */
      switch (move_message (config->outbox_dir, file, path, claimed))
        {
        case MOVED:
          break;
        case NOT_MOVED:
          g_warning ("Could not claim %s for delivery: %s", file, g_strerror (errno));
          G_GNUC_FALLTHROUGH;
        case ERASED:
          continue;
        }
      g_utime (claimed, NULL);   /* the claim's age counts from now */
      if (!ks_mail_relay_send_file (config, claimed, &error))
        {
          /* Back to the outbox; try again at the next round, keeping the order. */
          g_warning ("Could not deliver %s through %s: %s", file, config->smtp_host,
                     error->message);
          if (move_message (config->outbox_dir, file, claimed, path) == NOT_MOVED)
            g_warning ("Could not return %s to the outbox: %s", file, g_strerror (errno));
          return;
        }
      if (move_message (config->outbox_dir, file, claimed, done) == NOT_MOVED)
        g_warning ("Delivered %s but could not move it to sent/", file);
    }
}

static void
relay_round (KsWorkerLoop *loop, gpointer data)
{
  deliver_pending (data, loop);
}

KsMailRelay *
ks_mail_relay_start (const KsServerConfig *config)
{
  KsWorkerLoopSpec spec = { .name = "ks-mail-relay", .every_seconds = config->smtp_poll_seconds,
                            .round = relay_round };
  KsMailRelay *relay;

  if (config->smtp_host == NULL || *config->smtp_host == '\0' || config->outbox_dir == NULL)
    return NULL;
  relay = g_new0 (KsMailRelay, 1);
  relay->config = *config;
  relay->sending_dir = g_build_filename (config->outbox_dir, "sending", NULL);
  {
    g_autofree char *instance = g_strdup_printf ("%s-%ld-%08x", g_get_host_name (), (long) getpid (),
                                                 g_random_int ());
    g_strdelimit (instance, "/", '_');
    relay->claim_dir = g_build_filename (relay->sending_dir, instance, NULL);
  }
  relay->loop = ks_worker_loop_start (&spec, relay);
  g_message ("Delivering the outbox through %s:%d%s", config->smtp_host, config->smtp_port,
             config->smtp_starttls ? " (STARTTLS)" : "");
  return relay;
}

void
ks_mail_relay_stop (KsMailRelay *relay)
{
  if (relay == NULL)
    return;
  ks_worker_loop_stop (relay->loop);
  g_rmdir (relay->claim_dir);   /* empty: every claim was delivered or returned */
  g_free (relay->claim_dir);
  g_free (relay->sending_dir);
  g_free (relay);
}
