#include "odp_text.h"
