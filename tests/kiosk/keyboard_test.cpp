// The on-screen keyboard's model: what a customer tapping keys (or a physical keyboard) does to the
// field they are editing.
#include "viewmodels/keyboard.hpp"

#include <gtest/gtest.h>

namespace showroom::kiosk {
namespace {

TEST(OnScreenKeyboard, KeysLandInTheFocusedFieldOnItsNextDraw) {
    OnScreenKeyboard kb;
    std::string name;
    EXPECT_FALSE(kb.open());
    kb.type("x");   // nothing focused: ignored
    kb.focus("contact.name", KeyLayout::Text);
    EXPECT_TRUE(kb.open());
    kb.type("J");
    kb.type("a");
    kb.type("n");
    EXPECT_EQ(kb.apply(name), FieldEvent::Changed);
    EXPECT_EQ(name, "Jan");
    EXPECT_EQ(kb.apply(name), FieldEvent::None);   // nothing new: the field is unchanged
}

TEST(OnScreenKeyboard, BackspaceRemovesWholeCharactersIncludingChinese) {
    OnScreenKeyboard kb;
    kb.focus("contact.name", KeyLayout::Text);
    std::string name = "王芳";
    kb.backspace();
    EXPECT_EQ(kb.apply(name), FieldEvent::Changed);
    EXPECT_EQ(name, "王");
    kb.type("a");
    kb.backspace();   // takes back the queued key, not the field's text
    kb.apply(name);
    EXPECT_EQ(name, "王");
    kb.backspace();
    kb.backspace();   // more than there is: the field just ends up empty
    kb.apply(name);
    EXPECT_EQ(name, "");
}

TEST(OnScreenKeyboard, FieldsTakeOnlyWhatTheirLayoutAllows) {
    OnScreenKeyboard kb;
    std::string phone;
    kb.focus("contact.phone", KeyLayout::Phone);
    kb.type("+1 (555) 010-2000x");
    kb.apply(phone);
    EXPECT_EQ(phone, "+1 (555) 010-2000");

    std::string apr;
    kb.focus("desk.apr", KeyLayout::Decimal);
    kb.type("6.9.5a");
    kb.apply(apr);
    EXPECT_EQ(apr, "6.95");   // one decimal point only

    std::string pin;
    kb.focus("desk.approval_pin", KeyLayout::Pin);
    kb.type("25-80");
    kb.apply(pin);
    EXPECT_EQ(pin, "2580");

    std::string email;
    kb.focus("contact.email", KeyLayout::Email);
    kb.type("jane doe@example.com\t");
    kb.apply(email);
    EXPECT_EQ(email, "janedoe@example.com");   // no spaces, no control characters
}

TEST(OnScreenKeyboard, EnterSubmitsAndPutsTheKeyboardAway) {
    OnScreenKeyboard kb;
    std::string search;
    kb.focus("browse.search", KeyLayout::Text);
    kb.type("RAV4");
    kb.enter();
    EXPECT_EQ(kb.apply(search), FieldEvent::Submitted);
    EXPECT_EQ(search, "RAV4");
    EXPECT_FALSE(kb.open());
}

TEST(OnScreenKeyboard, SwitchingFieldsDropsKeysMeantForTheOldOne) {
    OnScreenKeyboard kb;
    kb.focus("contact.name", KeyLayout::Text);
    kb.type("Jane");
    kb.focus("contact.phone", KeyLayout::Phone);
    std::string phone;
    EXPECT_EQ(kb.apply(phone), FieldEvent::None);
    EXPECT_EQ(phone, "");
}

TEST(OnScreenKeyboard, ClosesWhenItsFieldIsNoLongerOnScreen) {
    OnScreenKeyboard kb;
    kb.focus("contact.name", KeyLayout::Text);
    kb.endFrame();   // the frame it was focused in
    kb.markDrawn("contact.name");
    kb.endFrame();
    EXPECT_TRUE(kb.open());
    kb.endFrame();   // a frame without the field: the screen changed (e.g. the idle wipe)
    EXPECT_FALSE(kb.open());
}

TEST(OnScreenKeyboard, ShiftCapitalisesNamesForOneLetter) {
    OnScreenKeyboard kb;
    kb.focus("contact.name", KeyLayout::Text);
    EXPECT_TRUE(kb.shift());   // a name starts with a capital
    kb.type("J");
    EXPECT_FALSE(kb.shift());
    kb.focus("contact.email", KeyLayout::Email);
    EXPECT_FALSE(kb.shift());   // e-mail addresses do not
}

} // namespace
} // namespace showroom::kiosk
