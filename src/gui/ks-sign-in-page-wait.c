/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sign-in-page-wait.c: the sign-in page while the server asks it to come
 * back later (503 with Retry-After): a sentence counting down the seconds
 * until the app tries again by itself; Cancel stays offered. */
#include "config.h"

#include <glib/gi18n.h>

#include "ks-sign-in-page-private.h"

static void
show_wait (KsSignInPage *self)
{
  g_autofree char *text = NULL;
  gboolean busy = g_strcmp0 (self->wait_code, "busy") == 0;

  if (self->wait_left > 0)
    text = busy ? g_strdup_printf (_("The server is busy; trying again in %u s…"), self->wait_left)
                : g_strdup_printf (_("The server is not available; trying again in %u s…"), self->wait_left);
  else
    text = g_strdup (busy ? _("The server is busy; trying again…")
                          : _("The server is not available; trying again…"));
  gtk_label_set_text (GTK_LABEL (self->wait_label), text);
  gtk_widget_set_visible (self->wait_label, TRUE);
}

static gboolean
on_wait_tick (gpointer data)
{
  KsSignInPage *self = data;

  if (self->wait_left > 0)
    self->wait_left--;
  show_wait (self);
  if (self->wait_left == 0)
    {
      self->wait_tick = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

void
ks_sign_in_page_set_wait (KsSignInPage *self,
                          guint         seconds,
                          const char   *code)
{
  g_return_if_fail (KS_IS_SIGN_IN_PAGE (self));

  g_clear_handle_id (&self->wait_tick, g_source_remove);
  g_clear_pointer (&self->wait_code, g_free);
  if (seconds == 0)
    {
      self->wait_left = 0;
      gtk_label_set_text (GTK_LABEL (self->wait_label), "");
      gtk_widget_set_visible (self->wait_label, FALSE);
      return;
    }
  self->wait_code = g_strdup (code);
  self->wait_left = seconds;
  show_wait (self);
  self->wait_tick = g_timeout_add_seconds (1, on_wait_tick, self);
}

const char *
ks_sign_in_page_get_wait (KsSignInPage *self)
{
  g_return_val_if_fail (KS_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_widget_get_visible (self->wait_label) ? gtk_label_get_text (GTK_LABEL (self->wait_label))
                                                   : NULL;
}
