#include "showroom/core/demo_catalog.hpp"

namespace showroom::core::demo {

namespace {

constexpr std::int64_t usd(std::int64_t dollars) {
    return dollars * 100;
}

// Prices are the newest model year's base MSRP without destination, rounded the way price sheets
// print them. A model whose newest year was its last (Bolt EV, Malibu, Forte) keeps that year's
// prices. Chinese-market models are priced near their export (Europe/Australia) level in dollars, so
// that a mixed lot does not make them look implausibly cheap next to US-built cars.
//
// WMIs name the plant most US-market cars of that nameplate come from, first character 1-5 for
// North America; several nameplates have more than one (RAV4: 2T3 Ontario, 4T3 Kentucky, JTM Japan).

// ---- Toyota -------------------------------------------------------------------------------------
constexpr TrimSpec kCorolla[] = {
    {"LE", usd(22'050), "FWD", "CVT"},
    {"SE", usd(25'210), "FWD", "CVT"},
    {"XSE", usd(28'855), "FWD", "CVT"},
};
// Hybrid-only since the 2025 redesign.
constexpr TrimSpec kCamry[] = {
    {"LE", usd(28'400), "FWD", "CVT"},
    {"SE", usd(31'000), "FWD", "CVT"},
    {"XLE", usd(33'700), "FWD", "CVT"},
    {"XSE", usd(34'700), "FWD", "CVT"},
};
constexpr TrimSpec kRav4[] = {
    {"LE", usd(28'850), "FWD", "Automatic"},
    {"XLE", usd(30'560), "FWD", "Automatic"},
    {"XLE Premium", usd(34'150), "AWD", "Automatic"},
    {"Limited", usd(37'580), "AWD", "Automatic"},
};
constexpr TrimSpec kRav4Hybrid[] = {
    {"LE", usd(31'900), "AWD", "CVT"},
    {"XLE", usd(33'960), "AWD", "CVT"},
    {"XSE", usd(38'575), "AWD", "CVT"},
    {"Limited", usd(41'260), "AWD", "CVT"},
};
constexpr TrimSpec kRav4Prime[] = {
    {"SE", usd(43'690), "AWD", "CVT"},
    {"XSE", usd(47'560), "AWD", "CVT"},
};
constexpr TrimSpec kTacoma[] = {
    {"SR", usd(31'590), "RWD", "Automatic"},
    {"SR5", usd(35'600), "RWD", "Automatic"},
    {"TRD Off-Road", usd(41'800), "4WD", "Manual"},
    {"Limited", usd(52'000), "4WD", "Automatic"},
};
constexpr TrimSpec kTundra[] = {
    {"SR", usd(40'090), "RWD", "Automatic"},
    {"SR5", usd(46'600), "4WD", "Automatic"},
    {"Limited", usd(54'710), "4WD", "Automatic"},
    {"Platinum", usd(64'530), "4WD", "Automatic"},
};
constexpr TrimSpec kHighlander[] = {
    {"LE", usd(40'320), "FWD", "Automatic"},
    {"XLE", usd(43'820), "FWD", "Automatic"},
    {"Limited", usd(48'820), "AWD", "Automatic"},
    {"Platinum", usd(52'620), "AWD", "Automatic"},
};
constexpr TrimSpec kPrius[] = {
    {"LE", usd(28'350), "FWD", "CVT"},
    {"XLE", usd(31'805), "FWD", "CVT"},
    {"Limited", usd(35'065), "FWD", "CVT"},
};
constexpr TrimSpec kSienna[] = {
    {"LE", usd(39'185), "FWD", "CVT"},
    {"XLE", usd(45'225), "FWD", "CVT"},
    {"Limited", usd(52'055), "FWD", "CVT"},
    {"Platinum", usd(56'445), "AWD", "CVT"},
};

// ---- Honda --------------------------------------------------------------------------------------
constexpr TrimSpec kCivic[] = {
    {"LX", usd(24'250), "FWD", "CVT"},
    {"Sport", usd(26'450), "FWD", "CVT"},
    {"Si", usd(30'500), "FWD", "Manual"},
};
constexpr TrimSpec kAccord[] = {
    {"LX", usd(28'295), "FWD", "CVT"},
    {"SE", usd(30'710), "FWD", "CVT"},
};
constexpr TrimSpec kAccordHybrid[] = {
    {"Sport", usd(33'655), "FWD", "CVT"},
    {"EX-L", usd(35'135), "FWD", "CVT"},
    {"Touring", usd(38'890), "FWD", "CVT"},
};
constexpr TrimSpec kCrv[] = {
    {"LX", usd(30'100), "FWD", "CVT"},
    {"EX", usd(32'750), "FWD", "CVT"},
    {"EX-L", usd(35'250), "AWD", "CVT"},
};
constexpr TrimSpec kPilot[] = {
    {"Sport", usd(40'950), "FWD", "Automatic"},
    {"EX-L", usd(44'650), "FWD", "Automatic"},
    {"TrailSport", usd(49'280), "AWD", "Automatic"},
    {"Elite", usd(53'580), "AWD", "Automatic"},
};
constexpr TrimSpec kOdyssey[] = {
    {"EX-L", usd(41'920), "FWD", "Automatic"},
    {"Sport-L", usd(44'020), "FWD", "Automatic"},
    {"Touring", usd(46'970), "FWD", "Automatic"},
    {"Elite", usd(51'970), "FWD", "Automatic"},
};
constexpr TrimSpec kHrv[] = {
    {"LX", usd(25'450), "FWD", "CVT"},
    {"Sport", usd(27'450), "FWD", "CVT"},
    {"EX-L", usd(29'650), "AWD", "CVT"},
};

// ---- Ford ---------------------------------------------------------------------------------------
constexpr TrimSpec kF150[] = {
    {"XL", usd(38'810), "RWD", "Automatic"},
    {"XLT", usd(48'340), "4WD", "Automatic"},
    {"Lariat", usd(63'095), "4WD", "Automatic"},
    {"Platinum", usd(71'675), "4WD", "Automatic"},
};
constexpr TrimSpec kF150Lightning[] = {
    {"Pro", usd(54'780), "AWD", "Single-speed"},
    {"Flash", usd(62'995), "AWD", "Single-speed"},
    {"Lariat", usd(77'795), "AWD", "Single-speed"},
    {"Platinum", usd(84'995), "AWD", "Single-speed"},
};
// Priced with the 6.7 L Power Stroke diesel.
constexpr TrimSpec kF250[] = {
    {"XL", usd(57'290), "4WD", "Automatic"},
    {"XLT", usd(63'880), "4WD", "Automatic"},
    {"Lariat", usd(74'480), "4WD", "Automatic"},
    {"Platinum", usd(89'625), "4WD", "Automatic"},
};
constexpr TrimSpec kMustang[] = {
    {"EcoBoost", usd(31'920), "RWD", "Automatic"},
    {"GT", usd(45'015), "RWD", "Manual"},
    {"Dark Horse", usd(61'225), "RWD", "Manual"},
};
constexpr TrimSpec kExplorer[] = {
    {"Active", usd(40'130), "RWD", "Automatic"},
    {"ST-Line", usd(43'495), "RWD", "Automatic"},
    {"Platinum", usd(53'680), "AWD", "Automatic"},
    {"ST", usd(55'865), "AWD", "Automatic"},
};
constexpr TrimSpec kBronco[] = {
    {"Base", usd(39'630), "4WD", "Manual"},
    {"Big Bend", usd(43'190), "4WD", "Manual"},
    {"Badlands", usd(53'670), "4WD", "Automatic"},
    {"Raptor", usd(91'085), "4WD", "Automatic"},
};
constexpr TrimSpec kMaverick[] = {
    {"XL", usd(27'795), "FWD", "CVT"},
    {"XLT", usd(30'615), "FWD", "CVT"},
    {"Lariat", usd(37'480), "FWD", "CVT"},
};
constexpr TrimSpec kMachE[] = {
    {"Select", usd(39'995), "RWD", "Single-speed"},
    {"Premium", usd(46'995), "AWD", "Single-speed"},
    {"GT", usd(54'995), "AWD", "Single-speed"},
};
constexpr TrimSpec kTransit[] = {
    {"Cargo Van", usd(49'790), "RWD", "Automatic"},
    {"Crew Van", usd(53'690), "RWD", "Automatic"},
    {"Passenger Van XLT", usd(58'320), "AWD", "Automatic"},
};

// ---- Chevrolet ----------------------------------------------------------------------------------
constexpr TrimSpec kSilverado[] = {
    {"WT", usd(37'645), "RWD", "Automatic"},
    {"LT", usd(48'195), "4WD", "Automatic"},
    {"RST", usd(55'145), "4WD", "Automatic"},
    {"High Country", usd(65'795), "4WD", "Automatic"},
};
// Priced with the 6.6 L Duramax diesel.
constexpr TrimSpec kSilveradoHd[] = {
    {"WT", usd(55'990), "4WD", "Automatic"},
    {"LT", usd(63'740), "4WD", "Automatic"},
    {"LTZ", usd(74'240), "4WD", "Automatic"},
    {"High Country", usd(83'240), "4WD", "Automatic"},
};
constexpr TrimSpec kEquinox[] = {
    {"LT", usd(28'600), "FWD", "CVT"},
    {"RS", usd(33'200), "FWD", "CVT"},
    {"ACTIV", usd(33'900), "AWD", "Automatic"},
};
constexpr TrimSpec kEquinoxEv[] = {
    {"1LT", usd(34'995), "FWD", "Single-speed"},
    {"2LT", usd(43'295), "FWD", "Single-speed"},
    {"RS", usd(45'395), "AWD", "Single-speed"},
};
constexpr TrimSpec kTahoe[] = {
    {"LS", usd(58'195), "RWD", "Automatic"},
    {"LT", usd(64'095), "4WD", "Automatic"},
    {"Z71", usd(69'395), "4WD", "Automatic"},
    {"High Country", usd(78'195), "4WD", "Automatic"},
};
constexpr TrimSpec kMalibu[] = {
    {"LS", usd(25'100), "FWD", "CVT"},
    {"RS", usd(26'300), "FWD", "CVT"},
    {"LT", usd(27'400), "FWD", "CVT"},
    {"2LT", usd(31'495), "FWD", "CVT"},
};
constexpr TrimSpec kCorvette[] = {
    {"Stingray 1LT", usd(69'995), "RWD", "DCT"},
    {"Stingray 3LT", usd(81'095), "RWD", "DCT"},
    {"Z06 1LZ", usd(111'595), "RWD", "DCT"},
};
constexpr TrimSpec kBolt[] = {
    {"1LT", usd(26'500), "FWD", "Single-speed"},
    {"2LT", usd(29'800), "FWD", "Single-speed"},
};

// ---- GMC ----------------------------------------------------------------------------------------
constexpr TrimSpec kSierra[] = {
    {"Pro", usd(38'700), "RWD", "Automatic"},
    {"SLE", usd(49'800), "4WD", "Automatic"},
    {"SLT", usd(59'900), "4WD", "Automatic"},
    {"Denali", usd(71'400), "4WD", "Automatic"},
};
constexpr TrimSpec kYukon[] = {
    {"SLE", usd(61'600), "RWD", "Automatic"},
    {"SLT", usd(69'100), "4WD", "Automatic"},
    {"AT4", usd(76'300), "4WD", "Automatic"},
    {"Denali", usd(78'900), "4WD", "Automatic"},
};
constexpr TrimSpec kHummerEv[] = {
    {"2X", usd(98'845), "AWD", "Single-speed"},
    {"3X", usd(104'650), "AWD", "Single-speed"},
};

// ---- Tesla --------------------------------------------------------------------------------------
constexpr TrimSpec kModel3[] = {
    {"Standard", usd(36'990), "RWD", "Single-speed"},
    {"Long Range", usd(47'490), "AWD", "Single-speed"},
    {"Performance", usd(54'990), "AWD", "Single-speed"},
};
constexpr TrimSpec kModelY[] = {
    {"Standard", usd(39'990), "RWD", "Single-speed"},
    {"Long Range", usd(48'990), "AWD", "Single-speed"},
    {"Performance", usd(57'490), "AWD", "Single-speed"},
};
constexpr TrimSpec kModelS[] = {
    {"All-Wheel Drive", usd(84'990), "AWD", "Single-speed"},
    {"Plaid", usd(99'990), "AWD", "Single-speed"},
};
constexpr TrimSpec kModelX[] = {
    {"All-Wheel Drive", usd(89'990), "AWD", "Single-speed"},
    {"Plaid", usd(104'990), "AWD", "Single-speed"},
};

// ---- Hyundai ------------------------------------------------------------------------------------
constexpr TrimSpec kElantra[] = {
    {"SE", usd(22'125), "FWD", "CVT"},
    {"SEL", usd(23'525), "FWD", "CVT"},
    {"Limited", usd(27'740), "FWD", "CVT"},
    {"N", usd(34'850), "FWD", "Manual"},
};
constexpr TrimSpec kTucson[] = {
    {"SE", usd(28'705), "FWD", "Automatic"},
    {"SEL", usd(31'105), "FWD", "Automatic"},
    {"XRT", usd(35'250), "AWD", "Automatic"},
    {"Limited", usd(38'935), "AWD", "Automatic"},
};
constexpr TrimSpec kSantaFe[] = {
    {"SE", usd(34'100), "FWD", "Automatic"},
    {"SEL", usd(36'350), "FWD", "Automatic"},
    {"XRT", usd(41'350), "AWD", "Automatic"},
    {"Calligraphy", usd(48'150), "AWD", "Automatic"},
};
constexpr TrimSpec kIoniq5[] = {
    {"SE Standard Range", usd(42'600), "RWD", "Single-speed"},
    {"SE", usd(46'650), "RWD", "Single-speed"},
    {"SEL", usd(49'600), "AWD", "Single-speed"},
    {"Limited", usd(54'300), "AWD", "Single-speed"},
};
constexpr TrimSpec kPalisade[] = {
    {"SE", usd(38'200), "FWD", "Automatic"},
    {"SEL", usd(41'450), "FWD", "Automatic"},
    {"Limited", usd(48'150), "AWD", "Automatic"},
    {"Calligraphy", usd(52'800), "AWD", "Automatic"},
};

// ---- Kia ----------------------------------------------------------------------------------------
constexpr TrimSpec kTelluride[] = {
    {"LX", usd(36'190), "FWD", "Automatic"},
    {"S", usd(39'090), "FWD", "Automatic"},
    {"EX", usd(42'290), "FWD", "Automatic"},
    {"SX", usd(46'190), "AWD", "Automatic"},
};
constexpr TrimSpec kSportage[] = {
    {"LX", usd(27'990), "FWD", "Automatic"},
    {"EX", usd(30'890), "FWD", "Automatic"},
    {"SX Prestige", usd(36'590), "AWD", "Automatic"},
};
constexpr TrimSpec kSportagePhev[] = {
    {"X-Line", usd(39'990), "AWD", "Automatic"},
    {"X-Line Prestige", usd(44'490), "AWD", "Automatic"},
};
constexpr TrimSpec kForte[] = {
    {"LXS", usd(20'815), "FWD", "CVT"},
    {"GT-Line", usd(22'915), "FWD", "CVT"},
    {"GT", usd(25'015), "FWD", "Manual"},
};
constexpr TrimSpec kEv6[] = {
    {"Light", usd(42'600), "RWD", "Single-speed"},
    {"Wind", usd(48'700), "RWD", "Single-speed"},
    {"GT-Line", usd(53'900), "AWD", "Single-speed"},
    {"GT", usd(61'600), "AWD", "Single-speed"},
};
constexpr TrimSpec kCarnival[] = {
    {"LX", usd(36'600), "FWD", "Automatic"},
    {"EX", usd(42'200), "FWD", "Automatic"},
    {"SX", usd(45'800), "FWD", "Automatic"},
    {"SX Prestige", usd(50'400), "FWD", "Automatic"},
};

// ---- Nissan -------------------------------------------------------------------------------------
constexpr TrimSpec kAltima[] = {
    {"S", usd(26'880), "FWD", "CVT"},
    {"SV", usd(28'580), "FWD", "CVT"},
    {"SR", usd(30'180), "FWD", "CVT"},
    {"SL", usd(32'780), "AWD", "CVT"},
};
constexpr TrimSpec kRogue[] = {
    {"S", usd(29'230), "FWD", "CVT"},
    {"SV", usd(31'390), "FWD", "CVT"},
    {"SL", usd(36'180), "AWD", "CVT"},
    {"Platinum", usd(40'080), "AWD", "CVT"},
};
constexpr TrimSpec kSentra[] = {
    {"S", usd(21'590), "FWD", "CVT"},
    {"SV", usd(22'600), "FWD", "CVT"},
    {"SR", usd(24'800), "FWD", "CVT"},
};
constexpr TrimSpec kLeaf[] = {
    {"S", usd(28'140), "FWD", "Single-speed"},
    {"SV Plus", usd(36'190), "FWD", "Single-speed"},
};
constexpr TrimSpec kFrontier[] = {
    {"S", usd(31'930), "RWD", "Automatic"},
    {"SV", usd(34'530), "RWD", "Automatic"},
    {"PRO-4X", usd(41'450), "4WD", "Automatic"},
};

// ---- Subaru -------------------------------------------------------------------------------------
constexpr TrimSpec kOutback[] = {
    {"Base", usd(29'560), "AWD", "CVT"},
    {"Premium", usd(32'510), "AWD", "CVT"},
    {"Limited", usd(37'440), "AWD", "CVT"},
    {"Touring", usd(42'040), "AWD", "CVT"},
};
constexpr TrimSpec kForester[] = {
    {"Base", usd(30'095), "AWD", "CVT"},
    {"Premium", usd(32'795), "AWD", "CVT"},
    {"Limited", usd(36'455), "AWD", "CVT"},
    {"Touring", usd(39'395), "AWD", "CVT"},
};
constexpr TrimSpec kCrosstrek[] = {
    {"Base", usd(26'540), "AWD", "CVT"},
    {"Premium", usd(27'640), "AWD", "CVT"},
    {"Sport", usd(30'640), "AWD", "CVT"},
    {"Limited", usd(32'540), "AWD", "CVT"},
};
constexpr TrimSpec kWrx[] = {
    {"Premium", usd(35'115), "AWD", "Manual"},
    {"Limited", usd(39'615), "AWD", "Manual"},
    {"GT", usd(44'815), "AWD", "CVT"},
};

// ---- Mazda --------------------------------------------------------------------------------------
constexpr TrimSpec kCx5[] = {
    {"2.5 S Select", usd(29'990), "AWD", "Automatic"},
    {"2.5 S Preferred", usd(31'990), "AWD", "Automatic"},
    {"2.5 S Premium", usd(34'900), "AWD", "Automatic"},
    {"2.5 Turbo Signature", usd(40'500), "AWD", "Automatic"},
};
constexpr TrimSpec kMazda3[] = {
    {"2.5 S", usd(25'250), "FWD", "Automatic"},
    {"2.5 S Preferred", usd(28'120), "FWD", "Automatic"},
    {"2.5 Turbo Premium Plus", usd(37'550), "AWD", "Automatic"},
};
constexpr TrimSpec kMx5[] = {
    {"Sport", usd(30'170), "RWD", "Manual"},
    {"Club", usd(34'520), "RWD", "Manual"},
    {"Grand Touring", usd(35'420), "RWD", "Automatic"},
};
constexpr TrimSpec kCx90Phev[] = {
    {"Preferred", usd(49'945), "AWD", "Automatic"},
    {"Premium", usd(54'900), "AWD", "Automatic"},
    {"Premium Plus", usd(57'950), "AWD", "Automatic"},
};

// ---- BMW ----------------------------------------------------------------------------------------
constexpr TrimSpec k3Series[] = {
    {"330i", usd(46'675), "RWD", "Automatic"},
    {"330i xDrive", usd(48'675), "AWD", "Automatic"},
    {"M340i xDrive", usd(60'575), "AWD", "Automatic"},
};
constexpr TrimSpec kX3[] = {
    {"30 xDrive", usd(50'675), "AWD", "Automatic"},
    {"M50 xDrive", usd(64'175), "AWD", "Automatic"},
};
constexpr TrimSpec kX5[] = {
    {"sDrive40i", usd(66'200), "RWD", "Automatic"},
    {"xDrive40i", usd(68'500), "AWD", "Automatic"},
    {"M60i", usd(90'600), "AWD", "Automatic"},
};
constexpr TrimSpec kI4[] = {
    {"eDrive35", usd(52'200), "RWD", "Single-speed"},
    {"eDrive40", usd(57'900), "RWD", "Single-speed"},
    {"xDrive40", usd(61'900), "AWD", "Single-speed"},
    {"M50 xDrive", usd(69'700), "AWD", "Single-speed"},
};
constexpr TrimSpec kM4[] = {
    {"Coupe", usd(80'000), "RWD", "Manual"},
    {"Competition", usd(84'100), "RWD", "Automatic"},
    {"Competition xDrive", usd(88'700), "AWD", "Automatic"},
};

// ---- Mercedes-Benz ------------------------------------------------------------------------------
constexpr TrimSpec kCClass[] = {
    {"C 300", usd(48'100), "RWD", "Automatic"},
    {"C 300 4MATIC", usd(50'100), "AWD", "Automatic"},
    {"AMG C 43", usd(61'850), "AWD", "Automatic"},
};
constexpr TrimSpec kGle[] = {
    {"GLE 350", usd(62'250), "RWD", "Automatic"},
    {"GLE 450 4MATIC", usd(71'600), "AWD", "Automatic"},
    {"AMG GLE 53", usd(88'500), "AWD", "Automatic"},
};
constexpr TrimSpec kEqs[] = {
    {"EQS 450+", usd(104'400), "RWD", "Single-speed"},
    {"EQS 580 4MATIC", usd(127'100), "AWD", "Single-speed"},
};
// 2500 with the four-cylinder diesel.
constexpr TrimSpec kSprinter[] = {
    {"Cargo Van", usd(56'950), "RWD", "Automatic"},
    {"Crew Van", usd(61'800), "RWD", "Automatic"},
    {"Passenger Van", usd(66'350), "AWD", "Automatic"},
};

// ---- Audi ---------------------------------------------------------------------------------------
constexpr TrimSpec kA4[] = {
    {"Premium", usd(42'600), "AWD", "DCT"},
    {"Premium Plus", usd(46'600), "AWD", "DCT"},
    {"Prestige", usd(52'100), "AWD", "DCT"},
};
constexpr TrimSpec kQ5[] = {
    {"Premium", usd(46'900), "AWD", "DCT"},
    {"Premium Plus", usd(51'400), "AWD", "DCT"},
    {"Prestige", usd(57'400), "AWD", "DCT"},
};
constexpr TrimSpec kQ4Etron[] = {
    {"Premium", usd(50'000), "AWD", "Single-speed"},
    {"Premium Plus", usd(55'200), "AWD", "Single-speed"},
    {"Prestige", usd(59'200), "AWD", "Single-speed"},
};

// ---- Volkswagen ---------------------------------------------------------------------------------
constexpr TrimSpec kJetta[] = {
    {"S", usd(22'325), "FWD", "Automatic"},
    {"Sport", usd(23'295), "FWD", "Automatic"},
    {"SE", usd(25'830), "FWD", "Automatic"},
    {"SEL", usd(30'450), "FWD", "Automatic"},
};
constexpr TrimSpec kTiguan[] = {
    {"S", usd(29'495), "FWD", "Automatic"},
    {"SE", usd(33'595), "AWD", "Automatic"},
    {"SEL R-Line", usd(39'995), "AWD", "Automatic"},
};
constexpr TrimSpec kAtlas[] = {
    {"SE", usd(38'550), "FWD", "Automatic"},
    {"SE with Technology", usd(43'175), "FWD", "Automatic"},
    {"SEL", usd(49'785), "AWD", "Automatic"},
    {"SEL Premium R-Line", usd(53'545), "AWD", "Automatic"},
};
constexpr TrimSpec kId4[] = {
    {"Standard", usd(39'735), "RWD", "Single-speed"},
    {"Pro", usd(45'095), "RWD", "Single-speed"},
    {"Pro S", usd(50'395), "AWD", "Single-speed"},
    {"Pro S Plus", usd(54'995), "AWD", "Single-speed"},
};
constexpr TrimSpec kGti[] = {
    {"S", usd(33'670), "FWD", "DCT"},
    {"SE", usd(37'535), "FWD", "DCT"},
    {"Autobahn", usd(40'410), "FWD", "DCT"},
};

// ---- Lexus --------------------------------------------------------------------------------------
constexpr TrimSpec kRx[] = {
    {"RX 350", usd(49'650), "FWD", "Automatic"},
    {"RX 350 Premium", usd(53'350), "AWD", "Automatic"},
    {"RX 350 F SPORT Handling", usd(61'225), "AWD", "Automatic"},
};
constexpr TrimSpec kEs[] = {
    {"ES 250 AWD", usd(43'190), "AWD", "Automatic"},
    {"ES 350", usd(45'940), "FWD", "Automatic"},
    {"ES 350 F SPORT Handling", usd(50'940), "FWD", "Automatic"},
    {"ES 350 Ultra Luxury", usd(53'110), "FWD", "Automatic"},
};
constexpr TrimSpec kNx[] = {
    {"NX 350h", usd(46'460), "AWD", "CVT"},
    {"NX 350h Premium", usd(49'560), "AWD", "CVT"},
    {"NX 350h Luxury", usd(54'410), "AWD", "CVT"},
};

// ---- Jeep ---------------------------------------------------------------------------------------
constexpr TrimSpec kWrangler[] = {
    {"Sport", usd(33'690), "4WD", "Manual"},
    {"Sport S", usd(38'190), "4WD", "Manual"},
    {"Sahara", usd(46'390), "4WD", "Automatic"},
    {"Rubicon", usd(50'390), "4WD", "Automatic"},
};
constexpr TrimSpec kWrangler4xe[] = {
    {"Willys", usd(49'795), "4WD", "Automatic"},
    {"Sahara", usd(55'095), "4WD", "Automatic"},
    {"Rubicon", usd(59'695), "4WD", "Automatic"},
    {"Rubicon X", usd(68'795), "4WD", "Automatic"},
};
constexpr TrimSpec kGrandCherokee[] = {
    {"Laredo", usd(37'495), "RWD", "Automatic"},
    {"Limited", usd(44'895), "4WD", "Automatic"},
    {"Overland", usd(55'395), "4WD", "Automatic"},
    {"Summit", usd(63'395), "4WD", "Automatic"},
};
constexpr TrimSpec kCompass[] = {
    {"Sport", usd(27'995), "4WD", "Automatic"},
    {"Latitude", usd(30'495), "4WD", "Automatic"},
    {"Limited", usd(33'495), "4WD", "Automatic"},
    {"Trailhawk", usd(34'995), "4WD", "Automatic"},
};
constexpr TrimSpec kGladiator[] = {
    {"Sport", usd(40'095), "4WD", "Manual"},
    {"Rubicon", usd(50'595), "4WD", "Automatic"},
    {"Mojave", usd(52'195), "4WD", "Automatic"},
};

// ---- Ram ----------------------------------------------------------------------------------------
constexpr TrimSpec kRam1500[] = {
    {"Tradesman", usd(41'370), "RWD", "Automatic"},
    {"Big Horn", usd(46'845), "4WD", "Automatic"},
    {"Laramie", usd(59'845), "4WD", "Automatic"},
    {"Limited", usd(76'225), "4WD", "Automatic"},
};
// Priced with the 6.7 L Cummins diesel.
constexpr TrimSpec kRam2500[] = {
    {"Tradesman", usd(57'785), "4WD", "Automatic"},
    {"Big Horn", usd(62'365), "4WD", "Automatic"},
    {"Laramie", usd(73'160), "4WD", "Automatic"},
    {"Limited", usd(85'410), "4WD", "Automatic"},
};
constexpr TrimSpec kProMaster[] = {
    {"1500 Cargo Low Roof", usd(47'345), "FWD", "Automatic"},
    {"2500 Cargo High Roof", usd(51'030), "FWD", "Automatic"},
    {"3500 Cargo High Roof", usd(53'320), "FWD", "Automatic"},
};

// ---- Volvo --------------------------------------------------------------------------------------
constexpr TrimSpec kXc40[] = {
    {"Core", usd(42'250), "AWD", "Automatic"},
    {"Plus", usd(46'300), "AWD", "Automatic"},
    {"Ultra", usd(49'400), "AWD", "Automatic"},
};
constexpr TrimSpec kXc60[] = {
    {"Core", usd(47'700), "AWD", "Automatic"},
    {"Plus", usd(52'800), "AWD", "Automatic"},
    {"Ultra", usd(57'300), "AWD", "Automatic"},
};
constexpr TrimSpec kXc90[] = {
    {"Core", usd(57'650), "AWD", "Automatic"},
    {"Plus", usd(63'150), "AWD", "Automatic"},
    {"Ultra", usd(68'350), "AWD", "Automatic"},
};

// ---- Porsche ------------------------------------------------------------------------------------
constexpr TrimSpec k911[] = {
    {"Carrera", usd(120'100), "RWD", "DCT"},
    {"Carrera S", usd(136'800), "RWD", "DCT"},
    {"Carrera 4 GTS", usd(170'900), "AWD", "DCT"},
    {"Turbo S", usd(230'400), "AWD", "DCT"},
};
// The rear motor's two-speed gearbox makes the Taycan an "Automatic", not a single-speed.
constexpr TrimSpec kTaycan[] = {
    {"Base", usd(99'400), "RWD", "Automatic"},
    {"4S", usd(118'500), "AWD", "Automatic"},
    {"Turbo", usd(173'600), "AWD", "Automatic"},
    {"Turbo S", usd(209'000), "AWD", "Automatic"},
};
constexpr TrimSpec kMacan[] = {
    {"Base", usd(62'900), "AWD", "DCT"},
    {"T", usd(65'900), "AWD", "DCT"},
    {"S", usd(73'400), "AWD", "DCT"},
    {"GTS", usd(85'500), "AWD", "DCT"},
};
constexpr TrimSpec kCayenne[] = {
    {"Base", usd(84'300), "AWD", "Automatic"},
    {"S", usd(98'500), "AWD", "Automatic"},
    {"GTS", usd(126'700), "AWD", "Automatic"},
};
constexpr TrimSpec kCayenneEHybrid[] = {
    {"E-Hybrid", usd(92'400), "AWD", "Automatic"},
    {"S E-Hybrid", usd(105'900), "AWD", "Automatic"},
    {"Turbo E-Hybrid", usd(148'500), "AWD", "Automatic"},
};

// ---- BYD ----------------------------------------------------------------------------------------
constexpr TrimSpec kSeal[] = {
    {"Dynamic", usd(31'500), "RWD", "Single-speed"},
    {"Premium", usd(34'900), "RWD", "Single-speed"},
    {"Performance", usd(41'900), "AWD", "Single-speed"},
};
constexpr TrimSpec kAtto3[] = {
    {"Standard Range", usd(27'500), "FWD", "Single-speed"},
    {"Extended Range", usd(31'500), "FWD", "Single-speed"},
};
constexpr TrimSpec kHan[] = {
    {"Standard Range", usd(32'900), "FWD", "Single-speed"},
    {"Long Range", usd(37'900), "FWD", "Single-speed"},
    {"Performance", usd(42'900), "AWD", "Single-speed"},
};
constexpr TrimSpec kDolphin[] = {
    {"Active", usd(19'900), "FWD", "Single-speed"},
    {"Comfort", usd(24'900), "FWD", "Single-speed"},
};
// DM-i drives through a single-ratio hybrid unit that window stickers describe as an E-CVT.
constexpr TrimSpec kSongPlus[] = {
    {"Comfort", usd(22'900), "FWD", "CVT"},
    {"Design", usd(26'900), "FWD", "CVT"},
};
constexpr TrimSpec kQinPlus[] = {
    {"Comfort", usd(14'900), "FWD", "CVT"},
    {"Design", usd(17'900), "FWD", "CVT"},
};

// ---- NIO ----------------------------------------------------------------------------------------
constexpr TrimSpec kEt5[] = {
    {"75 kWh", usd(41'900), "AWD", "Single-speed"},
    {"100 kWh", usd(49'900), "AWD", "Single-speed"},
};
constexpr TrimSpec kEs6[] = {
    {"75 kWh", usd(46'900), "AWD", "Single-speed"},
    {"100 kWh", usd(54'900), "AWD", "Single-speed"},
};
constexpr TrimSpec kEt7[] = {
    {"75 kWh", usd(58'900), "AWD", "Single-speed"},
    {"100 kWh", usd(66'900), "AWD", "Single-speed"},
};

// ---- Polestar -----------------------------------------------------------------------------------
constexpr TrimSpec kPolestar2[] = {
    {"Long Range Single Motor", usd(49'900), "RWD", "Single-speed"},
    {"Long Range Dual Motor", usd(55'900), "AWD", "Single-speed"},
    {"Performance", usd(62'900), "AWD", "Single-speed"},
};

// ---- Genesis ------------------------------------------------------------------------------------
constexpr TrimSpec kG70[] = {
    {"2.5T", usd(42'350), "RWD", "Automatic"},
    {"2.5T Sport Prestige", usd(48'750), "AWD", "Automatic"},
    {"3.3T Sport Prestige", usd(54'450), "AWD", "Automatic"},
};
constexpr TrimSpec kGv70[] = {
    {"2.5T", usd(46'750), "AWD", "Automatic"},
    {"2.5T Sport Prestige", usd(56'500), "AWD", "Automatic"},
    {"3.5T Sport Prestige", usd(62'450), "AWD", "Automatic"},
};
constexpr TrimSpec kGv80[] = {
    {"2.5T", usd(58'450), "AWD", "Automatic"},
    {"2.5T Advanced", usd(66'050), "AWD", "Automatic"},
    {"3.5T Prestige", usd(76'550), "AWD", "Automatic"},
};

constexpr ModelSpec kModels[] = {
    {"Toyota", "Corolla", "sedan", "gasoline", "5YF", kCorolla, 2012, 9}, // Blue Springs, Mississippi
    {"Toyota", "Camry", "sedan", "hybrid", "4T1", kCamry, 2012, 10},      // Georgetown, Kentucky
    {"Toyota", "RAV4", "suv", "gasoline", "2T3", kRav4, 2013, 10},        // Woodstock, Ontario
    {"Toyota", "RAV4 Hybrid", "suv", "hybrid", "4T3", kRav4Hybrid, 2016, 8},
    {"Toyota", "RAV4 Prime", "suv", "plug_in_hybrid", "JTM", kRav4Prime, 2021, 3},
    {"Toyota", "Tacoma", "pickup", "gasoline", "3TM", kTacoma, 2012, 7},
    {"Toyota", "Tundra", "pickup", "gasoline", "5TF", kTundra, 2012, 5},
    {"Toyota", "Highlander", "suv", "gasoline", "5TD", kHighlander, 2014, 6},
    {"Toyota", "Prius", "hatchback", "hybrid", "JTD", kPrius, 2012, 5},
    {"Toyota", "Sienna", "van", "hybrid", "5TD", kSienna, 2021, 4},

    {"Honda", "Civic", "sedan", "gasoline", "2HG", kCivic, 2012, 9},   // Alliston, Ontario
    {"Honda", "Accord", "sedan", "gasoline", "1HG", kAccord, 2012, 7}, // Marysville, Ohio
    {"Honda", "Accord Hybrid", "sedan", "hybrid", "1HG", kAccordHybrid, 2017, 5},
    {"Honda", "CR-V", "suv", "gasoline", "2HK", kCrv, 2012, 10},
    {"Honda", "Pilot", "suv", "gasoline", "5FN", kPilot, 2012, 6}, // Lincoln, Alabama
    {"Honda", "Odyssey", "van", "gasoline", "5FN", kOdyssey, 2012, 4},
    {"Honda", "HR-V", "suv", "gasoline", "3CZ", kHrv, 2016, 5}, // Celaya, Mexico

    {"Ford", "F-150", "pickup", "gasoline", "1FT", kF150, 2012, 10},
    {"Ford", "F-150 Lightning", "pickup", "electric", "1FT", kF150Lightning, 2022, 3},
    {"Ford", "F-250 Super Duty", "pickup", "diesel", "1FT", kF250, 2017, 3},
    {"Ford", "Mustang", "coupe", "gasoline", "1FA", kMustang, 2012, 4},
    {"Ford", "Explorer", "suv", "gasoline", "1FM", kExplorer, 2012, 6},
    {"Ford", "Bronco", "suv", "gasoline", "1FM", kBronco, 2021, 4},
    {"Ford", "Maverick", "pickup", "hybrid", "3FT", kMaverick, 2022, 5},   // Hermosillo, Mexico
    {"Ford", "Mustang Mach-E", "suv", "electric", "3FM", kMachE, 2021, 3}, // Cuautitlan, Mexico
    {"Ford", "Transit", "van", "gasoline", "1FT", kTransit, 2015, 3},

    {"Chevrolet", "Silverado 1500", "pickup", "gasoline", "1GC", kSilverado, 2012, 9},
    {"Chevrolet", "Silverado 2500HD", "pickup", "diesel", "1GC", kSilveradoHd, 2015, 3},
    {"Chevrolet", "Equinox", "suv", "gasoline", "3GN", kEquinox, 2012, 8},
    {"Chevrolet", "Equinox EV", "suv", "electric", "3GN", kEquinoxEv, 2024, 4},
    {"Chevrolet", "Tahoe", "suv", "gasoline", "1GN", kTahoe, 2012, 5},
    {"Chevrolet", "Malibu", "sedan", "gasoline", "1G1", kMalibu, 2012, 5},
    {"Chevrolet", "Corvette", "coupe", "gasoline", "1G1", kCorvette, 2014, 2},
    {"Chevrolet", "Bolt EV", "hatchback", "electric", "1G1", kBolt, 2017, 3},

    {"GMC", "Sierra 1500", "pickup", "gasoline", "1GT", kSierra, 2012, 6},
    {"GMC", "Yukon", "suv", "gasoline", "1GK", kYukon, 2012, 4},
    {"GMC", "Hummer EV Pickup", "pickup", "electric", "1GT", kHummerEv, 2022, 1},

    {"Tesla", "Model 3", "sedan", "electric", "5YJ", kModel3, 2017, 8}, // Fremont, California
    {"Tesla", "Model Y", "suv", "electric", "5YJ", kModelY, 2020, 9},
    {"Tesla", "Model S", "sedan", "electric", "5YJ", kModelS, 2012, 3},
    {"Tesla", "Model X", "suv", "electric", "5YJ", kModelX, 2016, 2},

    {"Hyundai", "Elantra", "sedan", "gasoline", "5NP", kElantra, 2012, 6}, // Montgomery, Alabama
    {"Hyundai", "Tucson", "suv", "gasoline", "5NM", kTucson, 2012, 7},
    {"Hyundai", "Santa Fe", "suv", "gasoline", "5NM", kSantaFe, 2013, 5},
    {"Hyundai", "Ioniq 5", "suv", "electric", "KM8", kIoniq5, 2022, 4},
    {"Hyundai", "Palisade", "suv", "gasoline", "KM8", kPalisade, 2020, 4},

    {"Kia", "Telluride", "suv", "gasoline", "5XY", kTelluride, 2020, 6}, // West Point, Georgia
    {"Kia", "Sportage", "suv", "gasoline", "5XY", kSportage, 2012, 6},
    {"Kia", "Sportage Plug-In Hybrid", "suv", "plug_in_hybrid", "KND", kSportagePhev, 2023, 2},
    {"Kia", "Forte", "sedan", "gasoline", "3KP", kForte, 2014, 4}, // Pesqueria, Mexico
    {"Kia", "EV6", "suv", "electric", "KND", kEv6, 2022, 3},
    {"Kia", "Carnival", "van", "gasoline", "KND", kCarnival, 2022, 3},

    {"Nissan", "Altima", "sedan", "gasoline", "1N4", kAltima, 2012, 6}, // Smyrna, Tennessee
    {"Nissan", "Rogue", "suv", "gasoline", "5N1", kRogue, 2014, 7},
    {"Nissan", "Sentra", "sedan", "gasoline", "3N1", kSentra, 2012, 6}, // Aguascalientes, Mexico
    {"Nissan", "Leaf", "hatchback", "electric", "1N4", kLeaf, 2013, 2},
    {"Nissan", "Frontier", "pickup", "gasoline", "1N6", kFrontier, 2012, 3},

    {"Subaru", "Outback", "suv", "gasoline", "4S4", kOutback, 2012, 6}, // Lafayette, Indiana
    {"Subaru", "Forester", "suv", "gasoline", "JF2", kForester, 2012, 6},
    {"Subaru", "Crosstrek", "suv", "gasoline", "JF2", kCrosstrek, 2013, 5},
    {"Subaru", "WRX", "sedan", "gasoline", "JF1", kWrx, 2015, 2},

    {"Mazda", "CX-5", "suv", "gasoline", "JM3", kCx5, 2013, 7},
    {"Mazda", "Mazda3", "hatchback", "gasoline", "JM1", kMazda3, 2012, 4},
    {"Mazda", "MX-5 Miata", "coupe", "gasoline", "JM1", kMx5, 2016, 2},
    {"Mazda", "CX-90 PHEV", "suv", "plug_in_hybrid", "JM3", kCx90Phev, 2024, 2},

    {"BMW", "3 Series", "sedan", "gasoline", "WBA", k3Series, 2012, 5},
    {"BMW", "X3", "suv", "gasoline", "5UX", kX3, 2012, 5}, // Spartanburg, South Carolina
    {"BMW", "X5", "suv", "gasoline", "5UX", kX5, 2012, 4},
    {"BMW", "i4", "sedan", "electric", "WBY", kI4, 2022, 2},
    {"BMW", "M4", "coupe", "gasoline", "WBS", kM4, 2015, 1},

    {"Mercedes-Benz", "C-Class", "sedan", "gasoline", "W1K", kCClass, 2012, 4},
    {"Mercedes-Benz", "GLE", "suv", "gasoline", "4JG", kGle, 2016, 4}, // Vance, Alabama
    {"Mercedes-Benz", "EQS", "sedan", "electric", "W1K", kEqs, 2022, 1},
    {"Mercedes-Benz", "Sprinter", "van", "diesel", "W1Y", kSprinter, 2014, 2},

    {"Audi", "A4", "sedan", "gasoline", "WAU", kA4, 2012, 3},
    {"Audi", "Q5", "suv", "gasoline", "WA1", kQ5, 2012, 4},
    {"Audi", "Q4 e-tron", "suv", "electric", "WA1", kQ4Etron, 2022, 2},

    {"Volkswagen", "Jetta", "sedan", "gasoline", "3VW", kJetta, 2012, 5}, // Puebla, Mexico
    {"Volkswagen", "Tiguan", "suv", "gasoline", "3VV", kTiguan, 2012, 5},
    {"Volkswagen", "Atlas", "suv", "gasoline", "1V2", kAtlas, 2018, 4}, // Chattanooga, Tennessee
    {"Volkswagen", "ID.4", "suv", "electric", "1V2", kId4, 2021, 3},
    {"Volkswagen", "Golf GTI", "hatchback", "gasoline", "3VW", kGti, 2015, 3},

    {"Lexus", "RX", "suv", "gasoline", "JTJ", kRx, 2012, 5},
    {"Lexus", "ES", "sedan", "gasoline", "58A", kEs, 2013, 4}, // Georgetown, Kentucky
    {"Lexus", "NX", "suv", "hybrid", "JTJ", kNx, 2015, 3},

    {"Jeep", "Wrangler", "suv", "gasoline", "1C4", kWrangler, 2012, 7}, // Toledo, Ohio
    {"Jeep", "Wrangler 4xe", "suv", "plug_in_hybrid", "1C4", kWrangler4xe, 2021, 3},
    {"Jeep", "Grand Cherokee", "suv", "gasoline", "1C4", kGrandCherokee, 2012, 6},
    {"Jeep", "Compass", "suv", "gasoline", "3C4", kCompass, 2017, 4}, // Toluca, Mexico
    {"Jeep", "Gladiator", "pickup", "gasoline", "1C6", kGladiator, 2020, 2},

    {"Ram", "1500", "pickup", "gasoline", "1C6", kRam1500, 2012, 8}, // Sterling Heights, Michigan
    {"Ram", "2500", "pickup", "diesel", "3C6", kRam2500, 2012, 4},   // Saltillo, Mexico
    {"Ram", "ProMaster", "van", "gasoline", "3C6", kProMaster, 2014, 2},

    {"Volvo", "XC40", "suv", "gasoline", "YV4", kXc40, 2019, 3},
    {"Volvo", "XC60", "suv", "gasoline", "YV4", kXc60, 2012, 4},
    {"Volvo", "XC90", "suv", "gasoline", "YV4", kXc90, 2016, 3},

    {"Porsche", "911", "coupe", "gasoline", "WP0", k911, 2012, 2},
    {"Porsche", "Taycan", "sedan", "electric", "WP0", kTaycan, 2020, 1},
    {"Porsche", "Macan", "suv", "gasoline", "WP1", kMacan, 2015, 3},
    {"Porsche", "Cayenne", "suv", "gasoline", "WP1", kCayenne, 2012, 3},
    {"Porsche", "Cayenne E-Hybrid", "suv", "plug_in_hybrid", "WP1", kCayenneEHybrid, 2019, 1},

    {"BYD", "Seal", "sedan", "electric", "LGX", kSeal, 2023, 4}, // Shenzhen and Changzhou, China
    {"BYD", "Atto 3", "suv", "electric", "LGX", kAtto3, 2022, 5},
    {"BYD", "Han", "sedan", "electric", "LGX", kHan, 2021, 3},
    {"BYD", "Dolphin", "hatchback", "electric", "LGX", kDolphin, 2022, 5},
    {"BYD", "Song Plus DM-i", "suv", "plug_in_hybrid", "LGX", kSongPlus, 2021, 6},
    {"BYD", "Qin Plus DM-i", "sedan", "plug_in_hybrid", "LGX", kQinPlus, 2021, 6},

    {"NIO", "ET5", "sedan", "electric", "LJ1", kEt5, 2022, 2}, // built by JAC in Hefei, China
    {"NIO", "ES6", "suv", "electric", "LJ1", kEs6, 2019, 2},
    {"NIO", "ET7", "sedan", "electric", "LJ1", kEt7, 2022, 1},

    {"Polestar", "2", "sedan", "electric", "LPS", kPolestar2, 2021, 2}, // Luqiao, China (Geely)

    {"Genesis", "G70", "sedan", "gasoline", "KMT", kG70, 2019, 2},
    {"Genesis", "GV70", "suv", "gasoline", "KMU", kGv70, 2022, 3},
    {"Genesis", "GV80", "suv", "gasoline", "KMU", kGv80, 2021, 2},
};

constexpr std::string_view kExteriorColors[] = {
    "Midnight Black", "Pearl White",   "Glacier White", "Lunar Silver",   "Magnetic Gray",
    "Graphite Gray",  "Ruby Red",      "Soul Red",      "Celestial Blue", "Deep Ocean Blue",
    "Forest Green",   "Sunset Orange", "Desert Beige",  "Copper Brown",
};

constexpr std::string_view kInteriorColors[] = {
    "Black Leather", "Black Cloth", "Gray Cloth", "Light Gray Leatherette", "Saddle Brown Leather", "Ivory Leather",
};

constexpr std::string_view kFeatures[] = {
    "Panoramic roof",
    "Power moonroof",
    "Heated seats",
    "Ventilated seats",
    "Heated steering wheel",
    "Leather-trimmed seats",
    "Power liftgate",
    "Remote start",
    "Keyless entry",
    "Push-button start",
    "Dual-zone climate control",
    "Apple CarPlay",
    "Android Auto",
    "Wireless phone charging",
    "Navigation system",
    "Premium audio system",
    "Head-up display",
    "Adaptive cruise control",
    "Lane-keeping assist",
    "Blind-spot monitoring",
    "Rear cross-traffic alert",
    "Automatic emergency braking",
    "Backup camera",
    "360-degree camera",
    "Parking sensors",
    "Hands-free highway driving",
    "LED headlights",
    "Fog lights",
    "Alloy wheels",
    "20-inch wheels",
    "Roof rails",
    "Tow package",
    "Trailer brake controller",
    "Bed liner",
    "Third-row seating",
    "Captain's chairs",
    "Rear-seat entertainment",
    "All-weather floor mats",
    "Digital instrument cluster",
    "Memory seats",
};

constexpr std::string_view kFirstNames[] = {
    // US
    "James",
    "Mary",
    "Michael",
    "Jennifer",
    "Robert",
    "Linda",
    "David",
    "Sarah",
    "William",
    "Emily",
    "Christopher",
    "Jessica",
    "Matthew",
    "Ashley",
    "Tyler",
    "Madison",
    "Brandon",
    "Hannah",
    "Ethan",
    "Olivia",
    // Hispanic
    "Jose",
    "Maria",
    "Carlos",
    "Sofia",
    "Luis",
    "Camila",
    "Miguel",
    "Valentina",
    "Alejandro",
    "Lucia",
    "Diego",
    "Isabella",
    // Chinese (pinyin)
    "Wei",
    "Fang",
    "Jun",
    "Xiaoming",
    "Hao",
    "Mei",
    "Jing",
    "Lei",
    "Yan",
    "Tao",
    // Indian
    "Arjun",
    "Priya",
    "Rohan",
    "Ananya",
    "Vikram",
    "Deepa",
    "Rahul",
    "Kavya",
    // Other communities
    "Mohammed",
    "Fatima",
    "Omar",
    "Aisha",
    "Kwame",
    "Amara",
    "Minh",
    "Linh",
    "Jiwoo",
    "Hiroshi",
};

constexpr std::string_view kLastNames[] = {
    // US
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "White",
    "Harris",
    "Clark",
    "Walker",
    "Young",
    "O'Brien",
    "Murphy",
    // Hispanic
    "Garcia",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Perez",
    "Sanchez",
    "Ramirez",
    "Torres",
    "Flores",
    "Rivera",
    // Chinese (pinyin)
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    // Indian
    "Patel",
    "Sharma",
    "Singh",
    "Kumar",
    "Gupta",
    "Reddy",
    "Iyer",
    "Das",
    // Other communities
    "Nguyen",
    "Tran",
    "Kim",
    "Park",
    "Tanaka",
    "Okafor",
    "Mensah",
    "Haddad",
    "Khan",
    "Kowalski",
};

constexpr std::string_view kCities[] = {
    "Springfield", "Franklin", "Greenville", "Fairview",  "Madison", "Clinton",
    "Georgetown",  "Salem",    "Arlington",  "Riverside", "Bristol", "Oakland",
};

constexpr std::string_view kStreets[] = {
    "Maple Ave",   "Oak St",    "Pine St",     "Cedar Ln",     "Elm St",      "Washington Blvd",   "Lincoln Ave",
    "Park Ave",    "Main St",   "Lakeview Dr", "Hillcrest Rd", "Sunset Blvd", "River Rd",          "Willow Way",
    "Highland Dr", "Meadow Ln", "Church St",   "Jefferson St", "Birch Ct",    "Spring Creek Pkwy",
};

constexpr std::string_view kLostReasons[] = {
    "Bought elsewhere", "Price too high",         "Financing declined", "Chose another model",
    "No response",      "Trade-in value too low", "Decided to wait",    "Vehicle no longer available",
};

constexpr std::string_view kLeadSources[] = {"walk_in", "website", "phone", "referral", "kiosk", "third_party"};

} // namespace

std::span<const ModelSpec> models() noexcept {
    return kModels;
}
std::span<const std::string_view> exteriorColors() noexcept {
    return kExteriorColors;
}
std::span<const std::string_view> interiorColors() noexcept {
    return kInteriorColors;
}
std::span<const std::string_view> features() noexcept {
    return kFeatures;
}
std::span<const std::string_view> firstNames() noexcept {
    return kFirstNames;
}
std::span<const std::string_view> lastNames() noexcept {
    return kLastNames;
}
std::span<const std::string_view> cities() noexcept {
    return kCities;
}
std::span<const std::string_view> streets() noexcept {
    return kStreets;
}
std::span<const std::string_view> lostReasons() noexcept {
    return kLostReasons;
}
std::span<const std::string_view> leadSources() noexcept {
    return kLeadSources;
}

} // namespace showroom::core::demo
