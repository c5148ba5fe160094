#include "core/ingest/TokenEstimator.h"
