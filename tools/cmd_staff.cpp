// `showroom staff ...`: accounts and PINs for the kiosk's staff mode.
#include "cli.hpp"

#include "showroom/core/auth.hpp"

#include <iomanip>
#include <iostream>
#include <memory>

namespace showroom::cli {

void addStaffCommands(CLI::App& app, Cli& cli) {
    auto* staff = app.add_subcommand("staff", "Staff accounts and kiosk PINs");
    staff->require_subcommand(1);
    {
        struct Flags {
            std::string name, role = "sales", email;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = staff->add_subcommand("add", "Add a staff member to this showroom");
        cmd->add_option("name", f->name, "Full name")->required();
        cmd->add_option("--role", f->role, "sales, manager, finance, porter or admin")->capture_default_str();
        cmd->add_option("--email", f->email, "E-mail address");
        cli.on(cmd, [&cli, f] {
            auto role = core::parseStaffRole(f->role);
            if (!role) return cli.report(role.error());
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto m = core::Auth(ctx).addStaff(f->name, *role, f->email);
            if (!m) return cli.report(m.error());
            if (cli.globals.json)
                cli.printJson({{"id", m->id}, {"name", m->name}, {"role", core::toString(m->role)}});
            else
                std::cout << "Added " << m->name << " (" << core::toString(m->role) << "): " << m->id
                          << "\nSet a PIN with: showroom staff set-pin " << m->id << "\n";
            return Exit::Ok;
        });
    }
    {
        auto* cmd = staff->add_subcommand("list", "List this showroom's active staff");
        cli.on(cmd, [&cli] {
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto all = core::Auth(ctx).staff();
            if (!all) return cli.report(all.error());
            if (cli.globals.json) {
                nlohmann::json j = nlohmann::json::array();
                for (const auto& m : *all)
                    j.push_back({{"id", m.id}, {"name", m.name}, {"email", m.email}, {"role", core::toString(m.role)}});
                cli.printJson(j);
                return Exit::Ok;
            }
            for (const auto& m : *all)
                std::cout << std::left << std::setw(38) << m.id << std::setw(28) << m.name << core::toString(m.role)
                          << "\n";
            return Exit::Ok;
        });
    }
    {
        auto id = std::make_shared<std::string>();
        auto* cmd = staff->add_subcommand("set-pin", "Set a staff member's PIN, read from standard input "
                                                     "(so it stays out of the shell history)");
        cmd->add_option("id", *id, "Staff id")->required();
        cli.on(cmd, [&cli, id] {
            std::string pin;
            std::getline(std::cin, pin);
            while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            if (auto st = core::Auth(ctx).setPin(*id, pin); !st) return cli.report(st.error());
            if (cli.globals.json) cli.printJson({{"id", *id}, {"pin_set", true}});
            else std::cout << "PIN set\n";
            return Exit::Ok;
        });
    }
}

} // namespace showroom::cli
