#include "classifier.h"
