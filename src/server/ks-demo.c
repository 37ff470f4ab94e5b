/* ks-demo.c: the demo council and its data set. */
#define G_LOG_DOMAIN "ks-demo"

#include "ks-demo.h"
#include "ks-error.h"

gboolean
ks_demo_generate (KsStore *store, const KsDemoOptions *options, GError **error)
{
  g_set_error (error, KS_ERROR, KS_ERROR_FAILED, "Not built yet.");
  return FALSE;
}
