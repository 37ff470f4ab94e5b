/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-mailer.c: the mail outbox (RFC 5322 messages as .eml files). */
#define G_LOG_DOMAIN "ks-mailer"

#include "mail/ks-mailer.h"
#include "ks-error.h"
#include "ks-time.h"
#include "auth/ks-token.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ADDRESS_LENGTH 254
#define MAX_SUBJECT_CHARS  250
#define QP_LINE_MAX        76

gboolean
ks_mailer_address_is_valid (const char *address)
{
  const char *at;

  if (address == NULL || *address == '\0' || strlen (address) > MAX_ADDRESS_LENGTH)
    return FALSE;
  if (!g_utf8_validate (address, -1, NULL))
    return FALSE;
  for (const char *p = address; *p; p++)
    {
      guchar c = (guchar) *p;
      if (c <= ' ' || c == 0x7f || strchr ("<>,;:\"()[]\\", c) != NULL)
        return FALSE;
    }
  at = strchr (address, '@');
  return at != NULL && at != address && at[1] != '\0' &&
         strchr (at + 1, '@') == NULL && strchr (at + 1, '.') != NULL;
}

/* The host part of the public URL, for the From address and Message-ID. */
static char *
mail_host (const KsServerConfig *config)
{
  g_autoptr(GUri) uri = NULL;

  if (config->public_url != NULL)
    uri = g_uri_parse (config->public_url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
    return g_ascii_strdown (g_uri_get_host (uri), -1);
  return g_strdup ("kerbside.invalid");
}

/* RFC 5322 date, always in English and UTC whatever the locale. */
static void
append_date (GString *out, gint64 now)
{
  static const char *days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
  static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  time_t t = (time_t) now;
  struct tm tm;

  gmtime_r (&t, &tm);
  g_string_append_printf (out, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                          days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                          tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static gboolean
is_plain_ascii (const char *s)
{
  for (; *s; s++)
    if ((guchar) *s < 0x20 || (guchar) *s > 0x7e)
      return FALSE;
  return TRUE;
}

/* A header value: as it is when plain ASCII, else as RFC 2047 encoded words of at
 * most 45 bytes of text each (whole UTF-8 characters), folded onto new lines. */
static void
append_header_text (GString *out, const char *text)
{
  const char *p = text;
  gboolean first = TRUE;

  if (is_plain_ascii (text))
    {
      g_string_append (out, text);
      return;
    }
  while (*p != '\0')
    {
      const char *end = p;
      g_autofree char *b64 = NULL;

      while (*end != '\0')
        {
          const char *next = g_utf8_next_char (end);
          if (next - p > 45)
            break;
          end = next;
        }
      b64 = g_base64_encode ((const guchar *) p, end - p);
      g_string_append_printf (out, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", b64);
      first = FALSE;
      p = end;
    }
}

/* Quoted-printable (RFC 2045) with CRLF line ends; text's line ends may be LF or CRLF. */
static void
append_quoted_printable (GString *out, const char *text)
{
  static const char hex[] = "0123456789ABCDEF";
  const guchar *p = (const guchar *) text;
  guint col = 0;

  while (*p != '\0')
    {
      guchar c = *p;
      gboolean line_end_next;
      char token[4];
      guint len;

      if (c == '\r' && p[1] == '\n')
        {
          p++;
          continue;
        }
      if (c == '\n')
        {
          g_string_append (out, "\r\n");
          col = 0;
          p++;
          continue;
        }
      line_end_next = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
      if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end_next))
        {
          token[0] = (char) c;
          len = 1;
        }
      else
        {
          token[0] = '=';
          token[1] = hex[c >> 4];
          token[2] = hex[c & 0xf];
          len = 3;
        }
      /* Leave room for the "=" of a soft line break. */
      if (col + len > QP_LINE_MAX - 1)
        {
          g_string_append (out, "=\r\n");
          col = 0;
        }
      g_string_append_len (out, token, len);
      col += len;
      p++;
    }
}

static char *
random_hex (guint bytes)
{
  GString *s = g_string_sized_new (bytes * 2);
  for (guint i = 0; i < bytes; i++)
    g_string_append_printf (s, "%02x", (guint) g_random_int_range (0, 256));
  return g_string_free (s, FALSE);
}

/* One line for a header: control characters (line breaks above all) become spaces,
 * and the text is cut at MAX_SUBJECT_CHARS characters. */
static char *
clean_subject (const char *subject)
{
  g_autofree char *valid = g_utf8_make_valid (subject ? subject : "", -1);
  GString *s = g_string_new (NULL);
  glong n = 0;

  for (const char *p = valid; *p && n < MAX_SUBJECT_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);
      if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029)
        g_string_append_c (s, ' ');
      else
        g_string_append_unichar (s, c);
    }
  g_strstrip (s->str);
  s->len = strlen (s->str);
  return g_string_free (s, FALSE);
}

/* The opt-out link (PUBLIC_URL/unsubscribe?token=...). */
static char *
optout_url (const KsServerConfig *config, const char *optout_token)
{
  const char *base = config->public_url ? config->public_url : "https://kerbside.invalid";
  gsize base_len = strlen (base);

  while (base_len > 0 && base[base_len - 1] == '/')
    base_len--;
  return g_strdup_printf ("%.*s/unsubscribe?token=%s", (int) base_len, base, optout_token);
}

static void
append_part_headers (GString *out, const char *type)
{
  g_string_append_printf (out, "Content-Type: %s; charset=UTF-8\r\n"
                               "Content-Transfer-Encoding: quoted-printable\r\n", type);
}

static void
append_body (GString *out, const char *body)
{
  append_quoted_printable (out, body);
  if (out->len < 2 || strcmp (out->str + out->len - 2, "\r\n") != 0)
    g_string_append (out, "\r\n");
}

/* optout_token: the token of the opt-out link for mails the recipient may opt
 * out of; NULL for security mails, which carry none. With mail->html, the
 * message is multipart/alternative: the text, then the HTML. */
static char *
build_message (const KsServerConfig *config,
               const KsMail         *mail,
               const char           *subject,
               const char           *optout_token)
{
  g_autofree char *host = mail_host (config);
  g_autofree char *id = random_hex (16);
  g_autofree char *valid_body = g_utf8_make_valid (mail->text ? mail->text : "", -1);
  g_autofree char *valid_html = mail->html ? g_utf8_make_valid (mail->html, -1) : NULL;
  g_autofree char *url = optout_token ? optout_url (config, optout_token) : NULL;
  g_autofree char *from_name = clean_subject (mail->from_name ? mail->from_name : "Kerbside");
  GString *text = g_string_new (valid_body);
  GString *html = valid_html ? g_string_new (valid_html) : NULL;
  GString *out = g_string_sized_new (1024 + strlen (valid_body) * 3 +
                                     (valid_html ? strlen (valid_html) * 3 / 2 : 0));

  if (url != NULL)
    {
      if (text->len > 0 && text->str[text->len - 1] != '\n')
        g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              "\n-- \n"
                              "You get this email because you reported a problem to the council. "
                              "To stop emails about your reports, reply with “unsubscribe” or visit "
                              "%s\n", url);
      if (html != NULL)
        g_string_append_printf (html,
                                "\n<hr>\n<p style=\"font-size:small\">You get this email because "
                                "you reported a problem to the council. "
                                "<a href=\"%s\">Stop emails about your reports</a>.</p>\n", url);
    }

  g_string_append (out, "Date: ");
  append_date (out, ks_time_now ());
  g_string_append (out, "\r\nFrom: ");
  if (strpbrk (from_name, "\"\\") == NULL && is_plain_ascii (from_name))
    g_string_append_printf (out, "\"%s\"", from_name);
  else
    append_header_text (out, from_name);
  g_string_append_printf (out, " <noreply@%s>\r\n", host);
  if (mail->reply_to != NULL && ks_mailer_address_is_valid (mail->reply_to))
    g_string_append_printf (out, "Reply-To: <%s>\r\n", mail->reply_to);
  g_string_append_printf (out, "To: <%s>\r\n", mail->to);
  g_string_append (out, "Subject: ");
  append_header_text (out, subject);
  g_string_append_printf (out, "\r\nMessage-ID: <%s@%s>\r\n", id, host);
  g_string_append (out, "MIME-Version: 1.0\r\n"
                        "Auto-Submitted: auto-generated\r\n");
  if (url != NULL)
    g_string_append_printf (out, "List-Unsubscribe: <mailto:unsubscribe@%s?subject=unsubscribe>, "
                                 "<%s>\r\n", host, url);
  if (mail->report_id > 0)
    g_string_append_printf (out, "X-Kerbside-Report: %" G_GINT64_FORMAT "\r\n", mail->report_id);
  if (html == NULL)
    {
      append_part_headers (out, "text/plain");
      g_string_append (out, "\r\n");
      append_body (out, text->str);
    }
  else
    {
      g_autofree char *boundary = g_strconcat ("=_kerbside_", id, NULL);

      g_string_append_printf (out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n"
                                   "\r\n--%s\r\n", boundary, boundary);
      append_part_headers (out, "text/plain");
      g_string_append (out, "\r\n");
      append_body (out, text->str);
      g_string_append_printf (out, "--%s\r\n", boundary);
      append_part_headers (out, "text/html");
      g_string_append (out, "\r\n");
      append_body (out, html->str);
      g_string_append_printf (out, "--%s--\r\n", boundary);
      g_string_free (html, TRUE);
    }

  g_string_free (text, TRUE);
  return g_string_free (out, FALSE);
}

/* Writes data under a temporary name in dir, flushes it to disk and renames it to
 * name, so that the finished file appears at once. */
static gboolean
write_atomically (const char *dir,
                  const char *name,
                  const char *data,
                  gsize       len,
                  GError    **error)
{
  g_autofree char *tmp_name = g_strconcat (".", name, ".tmp", NULL);
  g_autofree char *tmp_path = g_build_filename (dir, tmp_name, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize done = 0;
  int fd, saved;

  fd = g_open (tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "Could not write an email to the outbox %s: %s. Check that the directory "
                   "exists and the server may write to it.", dir, g_strerror (saved));
      return FALSE;
    }
  while (done < len)
    {
      gssize n = write (fd, data + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        goto fail;
      done += n;
    }
  if (fsync (fd) != 0)
    goto fail;
  if (close (fd) != 0)
    {
      fd = -1;
      goto fail;
    }
  fd = -1;
  if (g_rename (tmp_path, path) != 0)
    goto fail;
  return TRUE;

fail:
  saved = errno;
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);
  g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
               "Could not write an email to the outbox %s: %s. Check the free space and "
               "the directory's permissions.", dir, g_strerror (saved));
  return FALSE;
}

/* The note that a mail of that name was erased (ks_mailer_remove_file()). */
static void
forget_erasure (const char *outbox_dir,
                const char *name)
{
  g_autofree char *mark = g_build_filename (outbox_dir, "erased", name, NULL);

  g_unlink (mark);
}

/* Every path a message of that name may be at: waiting in the outbox,
 * delivered (sent/), or claimed by a relay for delivery (sending/INSTANCE/,
 * ks-mail-relay.c). */
static GPtrArray *
message_paths (const char *outbox_dir,
               const char *name)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sending = g_build_filename (outbox_dir, "sending", NULL);
  g_autoptr(GDir) instances = g_dir_open (sending, 0, NULL);
  const char *instance;

  g_ptr_array_add (paths, g_build_filename (outbox_dir, name, NULL));
  g_ptr_array_add (paths, g_build_filename (outbox_dir, "sent", name, NULL));
  while (instances != NULL && (instance = g_dir_read_name (instances)) != NULL)
    g_ptr_array_add (paths, g_build_filename (sending, instance, name, NULL));
  return paths;
}

gboolean
ks_mailer_file_exists (const KsServerConfig *config,
                       const char           *name)
{
  g_autoptr(GPtrArray) paths = message_paths (config->outbox_dir, name);

  for (guint i = 0; i < paths->len; i++)
    if (g_file_test (g_ptr_array_index (paths, i), G_FILE_TEST_EXISTS))
      return TRUE;
  return FALSE;
}

gboolean
ks_mailer_send (const KsServerConfig *config,
                KsStore              *store,
                const char           *to,
                const char           *subject,
                const char           *body,
                gboolean              security,
                gint64                report_id,
                GError              **error)
{
  KsMail mail = { .to = to, .subject = subject, .text = body, .security = security,
                  .report_id = report_id };

  return ks_mailer_send_mail (config, store, &mail, NULL, error);
}

gboolean
ks_mailer_send_mail (const KsServerConfig *config,
                     KsStore              *store,
                     const KsMail         *mail,
                     KsMailOutcome        *out_outcome,
                     GError              **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *optout_token = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *to = mail->to;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (KS_IS_STORE (store), FALSE);

  if (out_outcome)
    *out_outcome = KS_MAIL_WRITTEN;
  if (!ks_mailer_address_is_valid (to))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The email address “%s” is not valid. Check it and try again.",
                   to ? to : "");
      return FALSE;
    }
  if (config->outbox_dir == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "The server has no outbox directory for emails. Start it with --outbox DIR.");
      return FALSE;
    }

  clean = clean_subject (mail->subject);

  /* The recipient may have opted out of all but security mails: such a mail is
   * recorded (with no file) but not written. Every other mail gets its own
   * opt-out link, good for its recipient's address alone. */
  if (!mail->security)
    {
      g_autofree char *address_hash = ks_privacy_address_hash (to);
      g_autofree char *token_hash = NULL;
      gboolean opted_out = FALSE;

      if (!ks_store_privacy_is_opted_out (store, address_hash, &opted_out, error))
        return FALSE;
      if (opted_out)
        {
          g_debug ("Not sending “%s”: the recipient opted out of emails", clean);
          if (out_outcome)
            *out_outcome = KS_MAIL_OPTED_OUT;
          return ks_store_actions_record_email (store, to, clean, NULL, mail->report_id, NULL,
                                                error);
        }
      optout_token = ks_token_generate ();
      token_hash = ks_token_hash (optout_token);
      if (!ks_store_privacy_add_optout_token (store, token_hash, address_hash, error))
        return FALSE;
    }

  if (mail->file_name != NULL)
    {
      /* A name of the caller's for a mail that must be written once: when a file
       * of that name is already in the outbox (an earlier attempt wrote it, and
       * then did not record it), it stands. */
      name = g_strdup (mail->file_name);
      if (ks_mailer_file_exists (config, name))
        {
          if (out_outcome)
            *out_outcome = KS_MAIL_ALREADY_WRITTEN;
          return ks_store_actions_record_email (store, to, clean, name, mail->report_id, NULL,
                                                error);
        }
    }
  else
    {
      /* Names sort in the order the messages were made (microseconds), which is
       * the order the relay delivers them in. */
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
      g_autofree char *suffix = random_hex (8);
      name = g_strdup_printf ("%s.%06d-%s.eml", stamp, g_date_time_get_microsecond (now), suffix);
    }
  message = build_message (config, mail, clean, optout_token);

  /* Recorded first, so that a failed write leaves no record once the request's
   * transaction rolls back. */
  if (!ks_store_actions_record_email (store, to, clean, name, mail->report_id, NULL, error))
    return FALSE;
  /* A name once erased may come again (a resident's mail is named by its
   * queue row, whose number SQLite can give again once the row is gone): the
   * new mail is not the erased one. */
  forget_erasure (config->outbox_dir, name);
  if (!write_atomically (config->outbox_dir, name, message, strlen (message), error))
    return FALSE;
  g_debug ("Wrote email %s to %s", name, config->outbox_dir);
  return TRUE;
}

/* How long an erased email's name is remembered: far longer than any relay
 * holds a claim (sending/INSTANCE/ is given back after ten minutes). */
#define ERASED_MEMORY_SECONDS (24 * 60 * 60)

static gboolean
plain_name (const char *name)
{
  return name != NULL && *name != '\0' && strchr (name, '/') == NULL && name[0] != '.';
}

/* Names remembered longer than ERASED_MEMORY_SECONDS are forgotten. */
static void
forget_old_erasures (const char *erased_dir)
{
  g_autoptr(GDir) dir = g_dir_open (erased_dir, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (erased_dir, name, NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0 && now - (gint64) st.st_mtime > ERASED_MEMORY_SECONDS)
        g_unlink (path);
    }
}

/* The name is written down first (an empty file in OUTBOX/erased/: the name
 * is a time and random digits, or a resident's mail's queue row: nothing about
 * the person), then every copy goes: in the outbox, in sent/,
 * and in sending/INSTANCE/, where a relay holds a message it is delivering. A
 * relay that holds it at this moment, in this server or another in front of
 * the same database, finds the name once it has put its copy back or in sent/,
 * and drops that copy (ks_mailer_was_erased()). */
void
ks_mailer_remove_file (const char *outbox_dir, const char *name)
{
  g_autofree char *erased_dir = NULL;
  g_autofree char *mark = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  int fd;

  if (outbox_dir == NULL || !plain_name (name))
    return;
  erased_dir = g_build_filename (outbox_dir, "erased", NULL);
  mark = g_build_filename (erased_dir, name, NULL);
  forget_old_erasures (erased_dir);
  if (g_mkdir_with_parents (erased_dir, 0700) != 0 ||
      (fd = g_open (mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0)
    g_warning ("Could not note the erased person's email %s: %s (a relay sending it at "
               "this moment may keep a copy)", name, g_strerror (errno));
  else
    close (fd);

  paths = message_paths (outbox_dir, name);
  for (guint i = 0; i < paths->len; i++)
    if (g_unlink (g_ptr_array_index (paths, i)) != 0 && errno != ENOENT && errno != ENOTDIR)
      g_warning ("Could not remove the erased person's email %s: %s",
                 (char *) g_ptr_array_index (paths, i), g_strerror (errno));
}

gboolean
ks_mailer_was_erased (const char *outbox_dir, const char *name)
{
  g_autofree char *mark = NULL;

  if (outbox_dir == NULL || !plain_name (name))
    return FALSE;
  mark = g_build_filename (outbox_dir, "erased", name, NULL);
  return g_file_test (mark, G_FILE_TEST_EXISTS);
}
