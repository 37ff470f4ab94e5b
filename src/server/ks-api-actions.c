/* ks-api-actions.c: the actions part of the staff API. */
#define G_LOG_DOMAIN "ks-api-actions"

#include "ks-router.h"

void
ks_api_actions_register (KsRouter *router)
{
}
