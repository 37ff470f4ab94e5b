/* ks-api-admin.c: the admin part of the staff API. */
#define G_LOG_DOMAIN "ks-api-admin"

#include "ks-router.h"

void
ks_api_admin_register (KsRouter *router)
{
}
