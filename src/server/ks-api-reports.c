/* ks-api-reports.c: the reports part of the staff API. */
#define G_LOG_DOMAIN "ks-api-reports"

#include "ks-router.h"

void
ks_api_reports_register (KsRouter *router)
{
}
