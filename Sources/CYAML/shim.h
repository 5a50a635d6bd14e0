// libyaml: the event parser used to turn YAML documents into the JSON value model.
#ifndef CYAML_SHIM_H
#define CYAML_SHIM_H
#include <yaml.h>
#endif
