// carectl: the back-office command line. `carectl help` lists the commands.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "tools/carectl/cli.h"
#include "tools/carectl/error_text.h"

namespace homecare::carectl {
void RegisterCoreCommands();
void RegisterRosterCommands();
void RegisterSchedulingCommands();
void RegisterCheckInCommands();
void RegisterRpcCommands();
}  // namespace homecare::carectl

namespace {

void PrintHelp() {
  std::cout << "Usage: carectl <command> [flags]   (each command takes --help)\n\n";
  for (const auto& command : homecare::carectl::Commands()) {
    std::cout << "  " << absl::StrJoin(command.words, " ") << "\n      " << command.summary << "\n";
  }
  std::cout << "\nFlags fall back to HOMECARE_<FLAG> environment variables (HOMECARE_TOKEN,\n"
               "HOMECARE_ROSTER, HOMECARE_SECRET_FILE...). Output is for people; --json prints\n"
               "the response as proto JSON for scripts.\n";
}

}  // namespace

int main(int argc, char** argv) {
  homecare::carectl::RegisterCoreCommands();
  homecare::carectl::RegisterRosterCommands();
  homecare::carectl::RegisterSchedulingCommands();
  homecare::carectl::RegisterCheckInCommands();
  homecare::carectl::RegisterRpcCommands();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    PrintHelp();
    return args.empty() ? 2 : 0;
  }
  // The longest command whose words start the arguments.
  const homecare::carectl::Command* best = nullptr;
  for (const auto& command : homecare::carectl::Commands()) {
    if (command.words.size() > args.size()) continue;
    if (!std::equal(command.words.begin(), command.words.end(), args.begin())) continue;
    if (best == nullptr || command.words.size() > best->words.size()) best = &command;
  }
  if (best == nullptr) {
    std::vector<std::vector<std::string>> all;
    for (const auto& command : homecare::carectl::Commands()) all.push_back(command.words);
    std::cerr << "error: " << homecare::carectl::UnknownCommandMessage(args, all) << "\n";
    return 2;
  }
  return best->run(std::vector<std::string>(args.begin() + best->words.size(), args.end()));
}
