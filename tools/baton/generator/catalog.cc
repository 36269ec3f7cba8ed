#include "generator/catalog.h"

#include "baton/v1/contract.h"
#include "generator/random.h"

namespace baton::cli::gen {

std::string uuid_from(uint64_t a, uint64_t b) {
  // Test data, not a name-based hash: version 8 (custom), as RFC 9562 asks.
  return v1::format_uuid(mix64(a), mix64(b ^ 0x5bd1e995ULL), 8);
}

const std::vector<SourceProfile>& sources() {
  static const std::vector<SourceProfile> kSources = {
      {"google",
       "cpc",
       30,
       "https://www.google.com/",
       {{"q4-demo", "/lp/demo", "gads-48213", "Route every lead in under 5 minutes"},
        {"brand-search", "/", "gads-48117", "Baton - the lead handoff platform"},
        {"competitor-terms", "/compare/leadflow", "gads-48302",
         "Switching lead routers? See the difference"}}},
      {"linkedin",
       "paid_social",
       20,
       "https://www.linkedin.com/",
       {{"abm-enterprise", "/lp/enterprise", "li-7731", "Your reps get the why, not just the name"},
        {"revops-guide", "/guides/speed-to-lead", "li-7745", "The RevOps guide to speed-to-lead"}}},
      {"webinar",
       "event",
       15,
       "https://events.baton.example/",
       {{"webinar-speed-to-lead", "/webinars/speed-to-lead", "", ""},
        {"webinar-closed-loop", "/webinars/closed-loop-attribution", "", ""}}},
      {"organic",
       "organic",
       20,
       "https://duckduckgo.com/",
       {{"seo-blog", "/blog/lead-response-time", "", ""},
        {"seo-docs", "/docs/routing-rules", "", ""}}},
      {"partner",
       "referral",
       8,
       "https://partners.baton.example/",
       {{"partner-northwind-consulting", "/partners/referral", "", ""}}},
      {"g2",
       "review",
       7,
       "https://www.g2.com/",
       {{"g2-category-leader", "/compare", "g2-spot-12", "Rated #1 for lead routing on G2"}}},
  };
  return kSources;
}

const std::vector<CompanyProfile>& companies() {
  static const std::vector<CompanyProfile> kCompanies = {
      {"Northwind Logistik GmbH", "northwind.de", "logistics", "1001-5000", "100M-1B", "DE", "emea",
       "de"},
      {"Kessler Maschinenbau AG", "kessler-mb.de", "manufacturing", "5000+", "1B+", "DE", "emea",
       "de"},
      {"Brightpath Software Ltd", "brightpath.co.uk", "software", "201-1000", "10M-100M", "GB",
       "emea", "en"},
      {"Atelier Lumiere SAS", "atelier-lumiere.fr", "retail", "51-200", "1M-10M", "FR", "emea",
       "fr"},
      {"Helios Energia SpA", "helios-energia.it", "energy", "1001-5000", "100M-1B", "IT", "emea",
       "it"},
      {"Fjord Analytics AS", "fjordanalytics.no", "software", "11-50", "1M-10M", "NO", "emea",
       "en"},
      {"Van Dijk Finance BV", "vandijk-finance.nl", "financial_services", "201-1000", "100M-1B",
       "NL", "emea", "en"},
      {"Acme Robotics Inc", "acmerobotics.com", "manufacturing", "1001-5000", "100M-1B", "US",
       "north_america", "en"},
      {"Bluefin Health", "bluefinhealth.com", "healthcare", "5000+", "1B+", "US", "north_america",
       "en"},
      {"Cobalt Cloud Corp", "cobaltcloud.io", "software", "201-1000", "10M-100M", "US",
       "north_america", "en"},
      {"Maple Ledger Inc", "mapleledger.ca", "financial_services", "51-200", "10M-100M", "CA",
       "north_america", "en"},
      {"Lone Star Freight", "lonestarfreight.com", "logistics", "201-1000", "100M-1B", "US",
       "north_america", "en"},
      {"Pinecrest Academy", "pinecrest.edu", "education", "51-200", "1M-10M", "US", "north_america",
       "en"},
      {"Summit Retail Group", "summitretail.com", "retail", "1001-5000", "1B+", "US",
       "north_america", "en"},
      {"Lion City Payments", "lioncitypay.sg", "financial_services", "201-1000", "10M-100M", "SG",
       "apac", "en"},
      {"Sakura Devices KK", "sakura-devices.jp", "manufacturing", "1001-5000", "100M-1B", "JP",
       "apac", "ja"},
      {"Harbour Analytics Pty", "harbouranalytics.com.au", "software", "51-200", "1M-10M", "AU",
       "apac", "en"},
      {"Garuda Commerce", "garudacommerce.id", "retail", "201-1000", "10M-100M", "ID", "apac",
       "en"},
      {"Tiny Tasks", "tinytasks.app", "software", "1-10", "<1M", "US", "north_america", "en"},
      {"Student Union Hamburg", "uni-hamburg.example", "education", "11-50", "<1M", "DE", "emea",
       "de"},
  };
  return kCompanies;
}

const std::vector<TitleProfile>& titles() {
  static const std::vector<TitleProfile> kTitles = {
      {"Chief Revenue Officer", "c_level"},
      {"VP Marketing", "vp"},
      {"VP Sales", "vp"},
      {"Director of Revenue Operations", "director"},
      {"Director Demand Generation", "director"},
      {"Marketing Operations Manager", "manager"},
      {"Sales Operations Manager", "manager"},
      {"Growth Marketer", "individual"},
      {"Account Executive", "individual"},
      {"Business Analyst", "individual"},
      {"MBA Student", "student"},
  };
  return kTitles;
}

const std::vector<std::string>& first_names() {
  static const std::vector<std::string> k = {
      "Maria", "Jonas",  "Aisha", "Liam",   "Sofia",  "Kenji", "Priya", "Lukas", "Emma",  "Mateo",
      "Chen",  "Olivia", "Noah",  "Fatima", "Henrik", "Yuki",  "Grace", "Omar",  "Elena", "Tom"};
  return k;
}

const std::vector<std::string>& last_names() {
  static const std::vector<std::string> k = {"Muller", "Schmidt", "Khan",   "Murphy", "Rossi",
                                             "Tanaka", "Patel",   "Novak",  "Dubois", "Garcia",
                                             "Wang",   "Johnson", "Berg",   "Haddad", "Larsen",
                                             "Sato",   "Kim",     "Nguyen", "Silva",  "Brown"};
  return k;
}

const std::vector<Trigger>& triggers() {
  static const std::vector<Trigger> k = {
      {"demo_request", "form-demo", "Requested a demo: our leads wait days for a rep", "/demo"},
      {"contact_sales", "form-contact-sales", "Asked sales about pricing for 40 reps",
       "/contact-sales"},
      {"free_trial", "form-trial", "Started a free trial to test routing rules", "/trial"},
      {"content_download", "form-guide", "Downloaded the speed-to-lead guide",
       "/guides/speed-to-lead"},
      {"webinar_attended", "form-webinar", "Registered for and attended the webinar",
       "/webinars/speed-to-lead"},
      {"pricing_page_view", "form-newsletter", "Subscribed after reading pricing", "/pricing"},
  };
  return k;
}

const std::vector<std::string>& products() {
  static const std::vector<std::string> k = {"baton-routing", "baton-sla", "baton-attribution",
                                             "baton-platform"};
  return k;
}

const std::vector<std::string>& content_pages() {
  static const std::vector<std::string> k = {"/blog/lead-response-time", "/customers/northwind",
                                             "/docs/routing-rules",      "/guides/speed-to-lead",
                                             "/integrations/salesforce", "/security"};
  return k;
}

}  // namespace baton::cli::gen
