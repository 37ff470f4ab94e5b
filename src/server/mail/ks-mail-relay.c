/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-mail-relay.c: a small SMTP client that delivers the outbox to a relay.
 *
 * Written by hand: GLib has no SMTP client and the job is small (EHLO, STARTTLS,
 * AUTH PLAIN, MAIL/RCPT/DATA to one trusted relay), while a library such as
 * libcurl would add a large dependency for these few lines. */
#define G_LOG_DOMAIN "ks-mail-relay"

#include "mail/ks-mail-relay.h"
#include "ks-error.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

struct _KsMailRelay
{
  KsServerConfig  config;   /* the strings are borrowed from the server's config */
  GThread        *thread;
  GMutex          lock;
  GCond           cond;
  gboolean        stop;
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

static void
deliver_pending (KsMailRelay *relay)
{
  const KsServerConfig *config = &relay->config;
  g_autoptr(GDir) dir = g_dir_open (config->outbox_dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sent_dir = g_build_filename (config->outbox_dir, "sent", NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  if (names->len > 0)
    g_mkdir_with_parents (sent_dir, 0700);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (config->outbox_dir, names->pdata[i], NULL);
      g_autofree char *done = g_build_filename (sent_dir, names->pdata[i], NULL);
      gboolean stop;

      g_mutex_lock (&relay->lock);
      stop = relay->stop;
      g_mutex_unlock (&relay->lock);
      if (stop)
        return;

      if (!ks_mail_relay_send_file (config, path, &error))
        {
          /* Try again at the next round; keep the order. */
          g_warning ("Could not deliver %s through %s: %s", (char *) names->pdata[i],
                     config->smtp_host, error->message);
          return;
        }
      if (g_rename (path, done) != 0)
        g_warning ("Delivered %s but could not move it to sent/", (char *) names->pdata[i]);
    }
}

static gpointer
relay_thread (gpointer data)
{
  KsMailRelay *relay = data;

  g_mutex_lock (&relay->lock);
  while (!relay->stop)
    {
      gint64 until;

      g_mutex_unlock (&relay->lock);
      deliver_pending (relay);
      g_mutex_lock (&relay->lock);
      until = g_get_monotonic_time () + relay->config.smtp_poll_seconds * G_TIME_SPAN_SECOND;
      while (!relay->stop && g_cond_wait_until (&relay->cond, &relay->lock, until))
        ;
    }
  g_mutex_unlock (&relay->lock);
  return NULL;
}

KsMailRelay *
ks_mail_relay_start (const KsServerConfig *config)
{
  KsMailRelay *relay;

  if (config->smtp_host == NULL || *config->smtp_host == '\0' || config->outbox_dir == NULL)
    return NULL;
  relay = g_new0 (KsMailRelay, 1);
  relay->config = *config;
  g_mutex_init (&relay->lock);
  g_cond_init (&relay->cond);
  relay->thread = g_thread_new ("ks-mail-relay", relay_thread, relay);
  g_message ("Delivering the outbox through %s:%d%s", config->smtp_host, config->smtp_port,
             config->smtp_starttls ? " (STARTTLS)" : "");
  return relay;
}

void
ks_mail_relay_stop (KsMailRelay *relay)
{
  if (relay == NULL)
    return;
  g_mutex_lock (&relay->lock);
  relay->stop = TRUE;
  g_cond_signal (&relay->cond);
  g_mutex_unlock (&relay->lock);
  g_thread_join (relay->thread);
  g_mutex_clear (&relay->lock);
  g_cond_clear (&relay->cond);
  g_free (relay);
}
