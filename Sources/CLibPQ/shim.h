#ifndef QA_CLIBPQ_SHIM_H
#define QA_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
