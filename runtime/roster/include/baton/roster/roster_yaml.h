// The one roster parser: reads and writes the roster (reps.yaml) and accounts
// (accounts.yaml) files for the CLI and the router's backtest.
//
// reps.yaml:
//   reps:
//     - id: rep-ana
//       name: Ana Weber
//       manager: mgr-eva  # the old key manager_id is read, with a warning
//       pools: [emea-enterprise]
//       time_zone: Europe/Berlin
//       working_hours: {days: [1, 2, 3, 4, 5], start: "08:00", end: "18:00"}
//       capacity: 40        # open leads, 0 = no cap
//       daily_cap: 0
//       weight: 1
//       languages: [de, en]
//       holidays: ["2025-12-25"]
//       out_of_office: [{from: "2025-08-01T00:00:00Z", until: "2025-08-15T00:00:00Z"}]
//       active: true
// accounts.yaml:
//   accounts:
//     - {id: acc-northwind, name: Northwind Logistik GmbH, domains: [northwind.de], owner: rep-ana}
#pragma once

#include <string>
#include <vector>

#include "baton/runtime/status.h"
#include "baton/v1/roster.pb.h"

namespace baton::roster {

// Errors (code "input.yaml") name the file, the entry and the field.
// Deprecated keys still read are reported in `warnings` (when given), each
// naming the file, the entry and the key to use instead.
runtime::Result<std::vector<v1::Rep>> parse_reps_yaml(const std::string& text,
                                                      const std::string& origin,
                                                      std::vector<std::string>* warnings = nullptr);
runtime::Result<std::vector<v1::Account>> parse_accounts_yaml(const std::string& text,
                                                              const std::string& origin);
std::string reps_to_yaml(const std::vector<v1::Rep>& reps);

}  // namespace baton::roster
