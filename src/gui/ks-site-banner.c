/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-site-banner.c: the council's site message across the top of the main
 * window (see ks-site-banner.h). libadwaita 1.2 has no AdwBanner: a revealer
 * holds a box styled as the window's other banners. */
#define G_LOG_DOMAIN "ks-site-banner"

#include "ks-site-banner.h"
#include "ks-site-message.h"
#include "ks-time.h"

struct _KsSiteBanner
{
  AdwBin        parent_instance;

  KsSession    *session;
  KsSyncEngine *sync;         /* "finished" connected */
  GCancellable *cancellable;
  GtkWidget    *revealer;
  GtkWidget    *label;
  guint         end_timeout;  /* hides the message at its end */
};

G_DEFINE_FINAL_TYPE (KsSiteBanner, ks_site_banner, ADW_TYPE_BIN)

static gboolean
on_end (gpointer data)
{
  KsSiteBanner *self = data;

  self->end_timeout = 0;
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), FALSE);
  return G_SOURCE_REMOVE;
}

/* Shows message (a {"text", "until"} node; NULL or null: none). */
static void
show (KsSiteBanner *self,
      JsonNode     *message)
{
  const char *text = ks_site_message_text (message);
  gint64 until = ks_site_message_until (message), now = ks_time_now ();

  g_clear_handle_id (&self->end_timeout, g_source_remove);
  if (text == NULL || (until > 0 && until <= now))
    {
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), FALSE);
      return;
    }
  gtk_label_set_text (GTK_LABEL (self->label), text);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), TRUE);
  if (until > 0)
    self->end_timeout = g_timeout_add_seconds ((guint) MIN (until - now, G_MAXUINT / 2), on_end, self);
}

static void
on_message (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) message = ks_site_message_finish (KS_CLIENT (source), result, &error);
  KsSiteBanner *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = KS_SITE_BANNER (user_data);
  /* Offline or refused: the banner keeps what it showed. */
  if (message == NULL)
    g_debug ("site message: %s", error->message);
  else
    show (self, message);
  g_object_unref (self);
}

void
ks_site_banner_refresh (KsSiteBanner *self)
{
  KsClient *client;

  g_return_if_fail (KS_IS_SITE_BANNER (self));
  if (self->session == NULL || (client = ks_session_get_client (self->session)) == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  ks_site_message_get_async (client, self->cancellable, on_message, g_object_ref (self));
}

static void
on_sync_finished (KsSiteBanner *self,
                  const GError *error)
{
  if (error == NULL)
    ks_site_banner_refresh (self);
}

/* The message /me gave at sign-in: shown before the first sync ends. */
static void
show_from_me (KsSiteBanner *self)
{
  JsonObject *me = ks_session_get_me (self->session);
  JsonObject *body = me && json_object_has_member (me, "body")
                     && JSON_NODE_HOLDS_OBJECT (json_object_get_member (me, "body"))
                     ? json_object_get_object_member (me, "body") : NULL;

  show (self, body ? json_object_get_member (body, "site_message") : NULL);
}

static void
let_go (KsSiteBanner *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->end_timeout, g_source_remove);
  if (self->sync)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  g_clear_object (&self->session);
}

void
ks_site_banner_set_session (KsSiteBanner *self,
                            KsSession    *session)
{
  g_return_if_fail (KS_IS_SITE_BANNER (self));

  let_go (self);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), FALSE);
  if (session == NULL)
    return;
  self->session = g_object_ref (session);
  if ((self->sync = ks_session_get_sync (session)) != NULL)
    {
      g_object_ref (self->sync);
      g_signal_connect_swapped (self->sync, "finished", G_CALLBACK (on_sync_finished), self);
    }
  /* A platform operator's /me is of their own council: ask for the one
   * worked in. */
  if (ks_session_is_superuser (session))
    ks_site_banner_refresh (self);
  else
    show_from_me (self);
}

const char *
ks_site_banner_get_text (KsSiteBanner *self)
{
  g_return_val_if_fail (KS_IS_SITE_BANNER (self), NULL);
  if (!gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer)))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (self->label));
}

static void
ks_site_banner_dispose (GObject *object)
{
  let_go (KS_SITE_BANNER (object));
  G_OBJECT_CLASS (ks_site_banner_parent_class)->dispose (object);
}

static void
ks_site_banner_class_init (KsSiteBannerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ks_site_banner_dispose;
}

static void
ks_site_banner_init (KsSiteBanner *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");

  gtk_widget_add_css_class (box, "ks-banner");
  gtk_widget_add_css_class (box, "ks-site-message");
  gtk_box_append (GTK_BOX (box), icon);
  self->label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_widget_set_hexpand (self->label, TRUE);
  gtk_widget_set_name (self->label, "site-message");
  gtk_box_append (GTK_BOX (box), self->label);
  self->revealer = gtk_revealer_new ();
  gtk_revealer_set_child (GTK_REVEALER (self->revealer), box);
  adw_bin_set_child (ADW_BIN (self), self->revealer);
}
