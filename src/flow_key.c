#include "flow_key.h"
