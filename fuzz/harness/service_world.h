// Shared plumbing of the service targets: the input framing and a world
// (processors, globals, a warmed-up pump) built once per process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "baton/runtime/config.h"
#include "harness/pump.h"

namespace baton::fuzz {

// Decodes the framing of targets.h into a record on one of `topics`;
// false when the input is too short.
bool unframe(const uint8_t* data, size_t size, const std::vector<std::string>& topics,
             runtime::Record& out);

// Loads a service example config's section; aborts (a harness bug) when it
// does not read cleanly.
runtime::ConfigNode example_section(const std::string& file, const std::string& section);

// A small always-on roster (dach, us-enterprise, general) and one account,
// serialized by id: globals[reps_topic] and globals[accounts_topic].
std::shared_ptr<Globals> example_globals(const std::string& reps_topic,
                                         const std::string& accounts_topic);

// Runs one framed input through a fresh pump warmed up like `warm`.
struct World {
  std::shared_ptr<Globals> globals;
  std::vector<runtime::Processor*> processors;
  std::vector<std::string> topics;  // the framing's topic choices
  std::unique_ptr<Pump> warm;
  int max_steps = 48;
  int run(const uint8_t* data, size_t size) const;
};

}  // namespace baton::fuzz
