#include "desk_vm.hpp"

#include "showroom/core/auth.hpp"
#include "showroom/core/money.hpp"
#include "showroom/devices/print/receipt_job.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace showroom::kiosk {

void DeskViewModel::reset() {
    m_approvedBy.reset();
    m_customerMatches.clear();
    m_vehicleMatches.clear();
    m_customer.reset();
    m_vehicle.reset();
    m_form = {};
    m_quote.reset();
    m_grid.reset();
    m_problem = {};
    m_notice = {};
    m_deal.reset();
    m_contract.reset();
    m_printJob.clear();
    m_prints = 0;
    m_approvedDiscount = -1;
    m_signature.clear();
    m_signedImage.reset();
    m_paymentAmount = 0;
    m_paymentMethod = core::PaymentMethod::Card;
    m_receipt.reset();
    m_flag.reset();
    m_flagWarned.clear();
    m_flagAccepted.clear();
}

std::string conflictKindKey(std::string_view kind) {
    static constexpr std::pair<std::string_view, const char*> kKinds[] = {
        {"vehicle_sold_elsewhere", "kiosk.conflict.kind.vehicle_sold_elsewhere"},
        {"vehicle_held_elsewhere", "kiosk.conflict.kind.vehicle_held_elsewhere"},
        {"transfer_refused", "kiosk.conflict.kind.transfer_refused"},
        {"change_not_applied", "kiosk.conflict.kind.change_not_applied"},
    };
    for (const auto& [name, key] : kKinds)
        if (name == kind) return key;
    return "kiosk.conflict.kind.other";
}

void DeskViewModel::refreshFlag() {
    if (!m_deal) {
        m_flag.reset();
        return;
    }
    // A store that cannot be read keeps the last flag: a banner should not vanish on a busy database.
    if (auto open = core::Conflicts(m_ctx).openConflictFor(m_deal->id)) m_flag = std::move(*open);
}

Notice DeskViewModel::flagBanner() const {
    if (!m_flag) return {};
    if (m_flag->message.empty())
        return Notice::error("kiosk.desk.flag.banner", {{"message_key", conflictKindKey(m_flag->kind)}});
    return Notice::error("kiosk.desk.flag.banner", {{"message", m_flag->message}});
}

bool DeskViewModel::requestSigning() {
    if (!m_deal) {
        m_notice = Notice::error("kiosk.sign.error.no_deal");
        return false;
    }
    refreshFlag();
    if (!m_flag || m_flagAccepted == m_flag->id) return true;
    if (m_flagWarned == m_flag->id) { // the second tap: the salesperson read the warning
        m_flagAccepted = m_flag->id;
        m_notice = {};
        return true;
    }
    m_flagWarned = m_flag->id;
    m_notice = Notice::error("kiosk.desk.flag.confirm_sign", {{"deal_no", m_deal->dealNo}});
    return false;
}

core::Status DeskViewModel::openDeal(const std::string& idOrDealNo) {
    auto deal = core::Deals(m_ctx).find(idOrDealNo);
    if (!deal) {
        m_notice = Notice::fromError(deal.error());
        return deal.error();
    }
    auto salesperson = m_salesperson;
    reset();
    m_salesperson = std::move(salesperson);
    if (auto c = core::Crm(m_ctx).customer(deal->customerId)) m_customer = std::move(*c);
    if (auto v = core::Inventory(m_ctx).find(deal->vehicleId)) m_vehicle = std::move(*v);
    const auto& in = deal->input;
    std::string apr = core::formatPercent(in.apr, 4);
    while (apr.find('.') != std::string::npos && (apr.back() == '0' || apr.back() == '.'))
        apr.pop_back();
    m_form.price = core::formatCents(in.price);
    m_form.discount = core::formatCents(in.discount);
    m_form.tradeIn = core::formatCents(in.tradeInAllowance);
    m_form.payoff = core::formatCents(in.tradeInPayoff);
    m_form.down = core::formatCents(in.cashDown);
    m_form.apr = apr;
    m_form.term = in.termMonths;
    m_form.financed = in.financed;
    reprice();
    m_deal = std::move(*deal);
    refreshFlag();
    m_notice = Notice::info("kiosk.desk.opened", {{"deal_no", m_deal->dealNo}});
    return {};
}

core::Result<SignatureImage> DeskViewModel::signContract(int padWidthPx, int padHeightPx) {
    auto refuse = [&](core::Error e, Notice notice) -> core::Result<SignatureImage> {
        m_notice = std::move(notice);
        return e;
    };
    if (!m_deal)
        return refuse({core::ErrorCode::InvalidInput, "desk the deal before it is signed"},
                      Notice::error("kiosk.sign.error.no_deal"));
    if (!m_salesperson || !core::can(m_salesperson->role, core::Permission::DeskDeals))
        return refuse({core::ErrorCode::Denied, "only someone who may desk deals can take a signature"},
                      Notice::error("kiosk.staff.not_allowed"));
    // HQ flagged the deal (perhaps while the pad was open): signing it takes a second tap.
    refreshFlag();
    if (m_flag && m_flagAccepted != m_flag->id && !requestSigning())
        return core::fail(core::ErrorCode::Denied, "HQ flagged this deal: confirm to sign it anyway");
    if (!m_signature.looksSigned())
        return refuse({core::ErrorCode::InvalidInput, "the buyer has not signed yet"},
                      Notice::error("kiosk.sign.error.not_signed"));
    if (!m_documents.renderer)
        return refuse({core::ErrorCode::Internal, "no contract renderer is configured"},
                      Notice::error("kiosk.sign.error.no_renderer"));
    const std::filesystem::path dbDir = std::filesystem::path(m_ctx.db.path()).parent_path();
    const std::filesystem::path dir = dbDir / "signatures";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const std::string stamp = core::formatUtc(m_ctx.clock.now());
    std::string safeStamp = stamp;
    std::replace(safeStamp.begin(), safeStamp.end(), ':', '-');
    // Kept at twice the pad's size on screen, so the signature prints sharp on a contract.
    auto image = m_signature.accept((dir / (m_deal->dealNo + "-" + safeStamp + ".png")).string(), padWidthPx * 2,
                                    padHeightPx * 2);
    if (!image) return refuse(image.error(), Notice::fromError(image.error()));
    auto ctx = m_ctx;
    if (m_salesperson) ctx.actor = m_salesperson->id;
    const core::ContractSignature buyer{"buyer", m_customer ? m_customer->fullName() : "", image->path, image->sha256,
                                        stamp};
    auto signedContract =
        core::signContract(ctx, m_deal->id, buyer, *m_documents.renderer,
                           m_documents.contractsDir.empty() ? dbDir / "contracts" : m_documents.contractsDir,
                           m_contractLanguage);
    if (!signedContract) {
        std::filesystem::remove(image->path, ec);   // not signed: the image belongs to nothing
        return refuse(signedContract.error(), Notice::fromError(signedContract.error()));
    }
    m_deal = signedContract->deal;
    m_contract = std::move(*signedContract);
    m_signedImage = *image;
    m_notice = Notice::info("kiosk.sign.done", {{"deal_no", m_deal->dealNo}});
    (void)printContract();   // the deal is signed either way; notice() tells how printing went
    return image;
}

core::Status DeskViewModel::printContract() {
    if (!m_contract) return core::fail(core::ErrorCode::InvalidInput, "no signed contract to print");
    if (!m_documents.printer) {
        m_notice = Notice::error("kiosk.sign.error.no_printer", {{"path", m_contract->path.string()}});
        return core::fail(core::ErrorCode::Internal, "no printer is configured");
    }
    const std::string title = "Contract " + m_contract->deal.dealNo + (m_prints > 0 ? " (copy)" : "");
    auto job = m_documents.printer->print(title, m_contract->pdf);
    if (!job) {
        m_notice = Notice::error("kiosk.sign.error.print_failed",
                                 {{"deal_no", m_contract->deal.dealNo}, {"path", m_contract->path.string()},
                                  {"detail", job.error().message}});
        return job.error();
    }
    ++m_prints;
    m_printJob = *job;
    m_notice = Notice::info("kiosk.sign.printed", {{"deal_no", m_contract->deal.dealNo}, {"job", *job}});
    return {};
}

core::Cents DeskViewModel::stillDue() const {
    return m_deal ? core::Deals::amountDue(*m_deal) - m_deal->paid : 0;
}

std::vector<core::Cents> DeskViewModel::paymentChoices() const {
    std::vector<core::Cents> out;
    const core::Cents due = stillDue();
    if (due <= 0) return out;
    if (m_deal->status == core::DealStatus::Draft)
        for (core::Cents deposit : {core::Cents{50'000}, core::Cents{100'000}})
            if (deposit < due) out.push_back(deposit);
    out.push_back(due);
    return out;
}

core::Status DeskViewModel::takePayment() {
    auto refuse = [&](core::Error e, Notice notice) -> core::Status {
        m_notice = std::move(notice);
        return e;
    };
    if (!m_deal) return refuse({core::ErrorCode::InvalidInput, "no deal"}, Notice::error("kiosk.sign.error.no_deal"));
    if (!m_salesperson || !core::can(m_salesperson->role, core::Permission::DeskDeals))
        return refuse({core::ErrorCode::Denied, "only someone who may desk deals can take a payment"},
                      Notice::error("kiosk.staff.not_allowed"));
    if (m_paymentAmount <= 0)
        return refuse({core::ErrorCode::InvalidInput, "choose an amount"}, Notice::error("kiosk.pay.error.no_amount"));
    auto ctx = m_ctx;
    ctx.actor = m_salesperson->id;
    core::Deals deals(ctx);
    auto payment = deals.recordPayment(m_deal->id, m_paymentAmount, m_paymentMethod);
    if (!payment) return refuse(payment.error(), Notice::fromError(payment.error()));
    if (auto fresh = deals.find(m_deal->id)) m_deal = std::move(*fresh);
    m_paymentAmount = 0;
    auto doc = core::receiptForPayment(ctx, payment->id, m_contractLanguage);
    if (!doc) return refuse(doc.error(), Notice::fromError(doc.error()));
    if (auto queued = queueReceipt(*doc, false); !queued) return queued;
    m_notice = Notice::info("kiosk.pay.done", {{"amount", core::formatMoney(payment->amount)},
                                               {"receipt_no", payment->receiptNo}});
    return {};
}

core::Status DeskViewModel::queueReceipt(const core::ReceiptDocument& doc, bool asCopy) {
    if (m_receiptPrinting.printer.empty()) {
        m_notice = Notice::error("kiosk.pay.error.no_printer", {{"receipt_no", doc.receiptNo}});
        return core::fail(core::ErrorCode::Internal, "no receipt printer is configured");
    }
    auto job = devices::print::receiptJob(doc, m_receiptPrinting.printer,
                                          {m_paymentMethod == core::PaymentMethod::Cash && !asCopy, nullptr});
    if (!job) {
        m_notice = Notice::error("kiosk.pay.error.receipt", {{"receipt_no", doc.receiptNo}, {"detail", job.error().message}});
        return job.error();
    }
    if (m_deal) job->dealId = m_deal->id;
    const std::string original = job->payload;
    if (asCopy) job->payload = job->reprintPayload;   // asked for again: never a second original
    auto queued = core::print::PrintQueue(m_ctx).enqueue(*job);
    if (!queued) {
        m_notice = Notice::error("kiosk.pay.error.receipt", {{"receipt_no", doc.receiptNo}, {"detail", queued.error().message}});
        return queued.error();
    }
    m_receipt = ReceiptView{doc.receiptNo, queued->id, queued->state, "", "", asCopy, asCopy ? job->payload : original};
    if (m_receiptPrinting.kick) m_receiptPrinting.kick();
    return {};
}

void DeskViewModel::refreshReceipt() {
    if (!m_receipt) return;
    auto job = core::print::PrintQueue(m_ctx).find(m_receipt->jobId);
    if (!job) return;
    m_receipt->state = job->state;
    m_receipt->waitingFor = job->waitingFor;
    m_receipt->lastError = job->lastError;
    m_receipt->copy = m_receipt->copy || job->printedAsCopy || job->uncertain;
}

core::Status DeskViewModel::reprintReceipt() {
    if (!m_receipt) return core::fail(core::ErrorCode::InvalidInput, "no receipt to print again");
    auto doc = core::receiptForPayment(m_ctx, m_receipt->receiptNo, m_contractLanguage);
    if (!doc) {
        m_notice = Notice::fromError(doc.error());
        return doc.error();
    }
    if (auto queued = queueReceipt(*doc, true); !queued) return queued;
    m_notice = Notice::info("kiosk.pay.reprinted", {{"receipt_no", doc->receiptNo}});
    return {};
}

void DeskViewModel::findCustomers(const std::string& text) {
    auto found = core::Crm(m_ctx).customers({text, 20, 0});
    m_customerMatches = found ? std::move(*found) : std::vector<core::Customer>{};
}

void DeskViewModel::findVehicles(const std::string& text) {
    core::SearchQuery q;
    q.text = text;
    q.statuses = {core::VehicleStatus::InStock, core::VehicleStatus::OnHold};
    if (auto local = core::localStoreId(m_ctx.db)) q.storeId = *local;
    q.pageSize = 20;
    auto page = core::Inventory(m_ctx).search(q);
    m_vehicleMatches = page ? std::move(page->vehicles) : std::vector<core::Vehicle>{};
}

void DeskViewModel::pickCustomer(const std::string& customerId) {
    if (auto c = core::Crm(m_ctx).customer(customerId)) m_customer = std::move(*c);
}

void DeskViewModel::pickVehicle(const std::string& vehicleId) {
    auto v = core::Inventory(m_ctx).find(vehicleId);
    if (!v) return;
    m_vehicle = std::move(*v);
    m_form.price = core::formatCents(m_vehicle->price);
    reprice();
}

void DeskViewModel::edit(const DeskForm& form) {
    // An approval is for one amount: a changed discount is no longer approved.
    if (form.discount != m_form.discount) {
        m_approvedBy.reset();
        m_approvedDiscount = -1;
    }
    m_form = form;
    reprice();
}

std::optional<core::finance::DealInput> DeskViewModel::input() {
    core::finance::DealInput in;
    for (auto [text, target, label] : {std::tuple{&m_form.price, &in.price, "kiosk.desk.price"},
                                       std::tuple{&m_form.discount, &in.discount, "kiosk.desk.discount"},
                                       std::tuple{&m_form.tradeIn, &in.tradeInAllowance, "kiosk.desk.trade_in"},
                                       std::tuple{&m_form.payoff, &in.tradeInPayoff, "kiosk.desk.payoff"},
                                       std::tuple{&m_form.down, &in.cashDown, "kiosk.desk.down"}}) {
        auto c = core::parseMoney(text->empty() ? std::string("0") : *text);
        if (!c) {
            m_problem = Notice::error("kiosk.desk.problem.amount", {{"field_key", label}, {"text", *text}});
            return std::nullopt;
        }
        *target = *c;
    }
    auto apr = core::parsePercent(m_form.apr.empty() ? std::string("0") : m_form.apr);
    if (!apr) {
        m_problem = Notice::error("kiosk.desk.problem.amount", {{"field_key", "kiosk.desk.apr"}, {"text", m_form.apr}});
        return std::nullopt;
    }
    in.apr = *apr;
    in.termMonths = m_form.term;
    in.financed = m_form.financed;
    in.tax = m_config.tax;
    in.docFee = m_config.docFee;
    in.titleFee = m_config.titleFee;
    return in;
}

void DeskViewModel::reprice() {
    m_quote.reset();
    m_grid.reset();
    m_problem = {};
    if (!m_vehicle) return;
    auto in = input();
    if (!in) return;
    auto q = core::finance::quote(*in);
    if (!q) {
        m_problem = Notice::fromError(q.error());
        return;
    }
    m_quote = std::move(*q);
    if (in->financed) {
        std::vector<core::Cents> downs = m_config.gridDowns;
        if (std::find(downs.begin(), downs.end(), in->cashDown) == downs.end()) downs.push_back(in->cashDown);
        std::sort(downs.begin(), downs.end());
        if (auto g = core::finance::gridByDown(*in, m_config.gridTerms, downs)) m_grid = std::move(*g);
    }
}

bool DeskViewModel::needsApproval() const {
    const auto discount = core::parseMoney(m_form.discount.empty() ? std::string("0") : m_form.discount);
    if (!discount || *discount <= m_config.discountApproval) return false;
    if (m_salesperson && core::can(m_salesperson->role, core::Permission::ApproveDiscounts)) return false;
    // The desked deal's own discount was approved when it was desked (a reopened deal asks nothing).
    if (m_deal && m_vehicle && m_deal->vehicleId == m_vehicle->id && m_deal->input.discount == *discount) return false;
    return m_approvedDiscount != *discount; // a changed discount needs approving again
}

core::Status DeskViewModel::approve(const std::string& managerId, const std::string& pin) {
    auto manager = core::Auth(m_ctx).signIn(managerId, pin);
    if (!manager) {
        m_notice = Notice::pinRefusal(manager.error());
        return manager.error();
    }
    if (!core::can(manager->role, core::Permission::ApproveDiscounts)) {
        m_notice = Notice::error("kiosk.desk.error.may_not_approve", {{"name", manager->name}});
        return core::fail(core::ErrorCode::Denied, manager->name + " may not approve discounts");
    }
    auto discount = core::parseMoney(m_form.discount.empty() ? std::string("0") : m_form.discount);
    if (!discount) return discount.error();
    m_approvedBy = *manager;
    m_approvedDiscount = *discount;
    m_notice = Notice::info("kiosk.desk.approved", {{"name", manager->name}});
    return {};
}

core::Result<core::Deal> DeskViewModel::create() {
    auto deal = desk();
    if (deal) {
        refreshFlag();
        m_notice = Notice::info("kiosk.desk.created", {{"deal_no", deal->dealNo}});
    } else if (m_notice.empty())
        m_notice = m_problem.empty() ? Notice::fromError(deal.error()) : m_problem;
    return deal;
}

core::Result<core::Deal> DeskViewModel::desk() {
    if (!m_customer || !m_vehicle) {
        m_notice = Notice::error("kiosk.desk.error.pick");
        return core::fail(core::ErrorCode::InvalidInput, "pick a customer and a vehicle");
    }
    // The screen is guarded by role; so is the action, whoever calls it.
    if (!m_salesperson || !core::can(m_salesperson->role, core::Permission::DeskDeals)) {
        m_notice = Notice::error("kiosk.staff.not_allowed");
        return core::fail(core::ErrorCode::Denied, "only someone who may desk deals can do this");
    }
    if (needsApproval()) {
        m_notice = Notice::error("kiosk.desk.needs_approval");
        return core::fail(core::ErrorCode::Denied, "a discount above " + core::formatMoney(m_config.discountApproval) +
                                                       " needs a manager's approval");
    }
    m_notice = {};
    auto in = input();
    if (!in) return core::fail(core::ErrorCode::InvalidInput, "the figures cannot be priced");
    auto ctx = m_ctx;
    std::optional<std::string> salesperson;
    if (m_salesperson) {
        ctx.actor = m_salesperson->id;
        salesperson = m_salesperson->id;
    }
    // The customer's open lead for this vehicle (or any open one) moves along with the deal.
    std::optional<std::string> leadId;
    core::LeadQuery lq;
    lq.customerId = m_customer->id;
    if (auto leads = core::Crm(ctx).leads(lq))
        for (const auto& l : *leads)
            if (l.stage != core::LeadStage::Lost && l.stage != core::LeadStage::Delivered &&
                l.stage != core::LeadStage::FollowUp && (!leadId || l.vehicleId == m_vehicle->id))
                leadId = l.id;
    // The deal and the record of who approved its discount commit together, or neither does.
    const bool approvalNeeded = in->discount > m_config.discountApproval &&
                                !(m_salesperson && core::can(m_salesperson->role, core::Permission::ApproveDiscounts));
    auto tx = core::db::Transaction::begin(ctx.db);
    if (!tx) return tx.error();
    auto deal = core::Deals(ctx).create(m_customer->id, m_vehicle->id, *in, leadId, salesperson);
    if (!deal) return deal.error();
    if (approvalNeeded && m_approvedBy && m_approvedDiscount == in->discount) {
        if (auto st = core::record(ctx, "deal.discount_approved", "deal", deal->id,
                                   {{"deal_no", deal->dealNo},
                                    {"discount", core::formatCents(in->discount)},
                                    {"approved_by", m_approvedBy->id}});
            !st)
            return st.error();
    }
    if (auto st = tx->commit(); !st) return st.error();
    m_deal = *deal;
    return deal;
}

} // namespace showroom::kiosk
