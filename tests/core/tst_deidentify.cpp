// De-identification: each kind is masked and counted; dates, times, versions, prices and short
// numbers are left alone; Chinese text around matches survives byte for byte.
#include <QtTest>

#include <string>
#include <vector>

#include "data/deidentify.h"

using tb::data::deidentify;
using tb::data::deidentify_rows;
using tb::data::DeidentifyCounts;

class TstDeidentify : public QObject {
    Q_OBJECT

private slots:
    void masks_each_kind_data();
    void masks_each_kind();
    void leaves_false_positives_data();
    void leaves_false_positives();
    void chinese_text();
    void counts_add_up();
    void rows_in_chosen_columns();
    void id_length_is_configurable();
};

void TstDeidentify::masks_each_kind_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("email") << "mail jane.doe+news@example.co.uk now"
                           << "mail [EMAIL] now";
    QTest::newRow("email end of sentence") << "Write to a_b@mail.example.com."
                                           << "Write to [EMAIL].";
    QTest::newRow("url https") << "see https://example.com/a?b=1&c=2, then"
                               << "see [URL], then";
    QTest::newRow("url www") << "(www.example.org/path)"
                             << "([URL])";
    QTest::newRow("url with user@") << "http://user@host.example/x"
                                    << "[URL]";
    QTest::newRow("ipv4") << "from 192.168.1.20: denied"
                          << "from [IP]: denied";
    QTest::newRow("ipv6 compressed") << "host fe80::1ff:fe23:4567:890a up"
                                     << "host [IP] up";
    QTest::newRow("ipv6 full") << "2001:0db8:85a3:0000:0000:8a2e:0370:7334"
                               << "[IP]";
    QTest::newRow("ipv6 loopback") << "bind ::1 only"
                                   << "bind [IP] only";
    QTest::newRow("phone intl") << "call +44 20 7946 0958 today"
                                << "call [PHONE] today";
    QTest::newRow("phone us parens") << "(555) 123-4567"
                                     << "[PHONE]";
    QTest::newRow("phone us dashes") << "tel 555-123-4567."
                                     << "tel [PHONE].";
    QTest::newRow("phone us dots") << "555.123.4567"
                                   << "[PHONE]";
    QTest::newRow("phone local") << "dial 555-1234"
                                 << "dial [PHONE]";
    QTest::newRow("phone cn landline") << "010-12345678"
                                       << "[PHONE]";
    QTest::newRow("card spaces") << "card 4111 1111 1111 1111 ok"
                                 << "card [ID] ok";
    QTest::newRow("card dashes") << "4111-1111-1111-1111"
                                 << "[ID]";
    QTest::newRow("long id") << "account 123456789012 closed"
                             << "account [ID] closed";
    QTest::newRow("id in parens") << "(ref 9876543210)"
                                  << "(ref [ID])";
}

void TstDeidentify::masks_each_kind() {
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(deidentify(input.toStdString())), expected);
}

void TstDeidentify::leaves_false_positives_data() {
    QTest::addColumn<QString>("input");
    const char* cases[] = {
        "on 2024-01-15 at 12:30:45",        // ISO date and time
        "15.01.2024 and 01/15/2024",        // European and US dates
        "version 1.2.3 or v10.0.19045",     // versions
        "Python 3.11.4 released",           //
        "costs $1,234,567.89",              // a price with thousands separators
        "pi is 3.14159265358979",           // decimals are not IDs
        "room 42, 12345 votes, 1990-2000",  // short numbers, a year range
        "std::vector and a::b",             // C++ scopes are not IPv6
        "ratio 16:9, time 9:30",            //
        "MAC 00:1A:2B:3C:4D:5E",            // six groups, no "::"
        "sha abcdef1234567890abcdef",       // glued to letters: part of a word
        "ISBN-like x123456789012y",         //
        "e-mail at sign @ alone, a@b",      // no domain with a TLD
        "1.2.3.456 is not an address",      // 456 > 255
        "www is a word, http: too",         // no URL after the prefix
        "中文文本没有个人信息。",           //
    };
    for (const char* c : cases)
        QTest::newRow(c) << QString::fromUtf8(c);
}

void TstDeidentify::leaves_false_positives() {
    QFETCH(QString, input);
    DeidentifyCounts counts;
    QCOMPARE(QString::fromStdString(deidentify(input.toStdString(), &counts)), input);
    QCOMPARE(counts.total(), std::size_t{0});
}

void TstDeidentify::chinese_text() {
    DeidentifyCounts counts;
    const std::string in =
        "请拨打13812345678或+86 10 8888 6666联系张三，邮箱zhangsan@example.cn，"
        "网址见https://例子.cn/a 或 http://example.cn/页面。身份证号110101199003071234。"
        "服务器192.168.0.1宕机。会议在2024年1月15日，费用3000元。";
    const std::string out = deidentify(in, &counts);
    QCOMPARE(QString::fromStdString(out),
             QString::fromUtf8("请拨打[PHONE]或[PHONE]联系张三，邮箱[EMAIL]，"
                               "网址见https://例子.cn/a 或 [URL]页面。身份证号[ID]。"
                               "服务器[IP]宕机。会议在2024年1月15日，费用3000元。"));
    QCOMPARE(counts.phone, std::size_t{2});
    QCOMPARE(counts.email, std::size_t{1});
    QCOMPARE(counts.url, std::size_t{1});
    QCOMPARE(counts.id, std::size_t{1});
    QCOMPARE(counts.ip, std::size_t{1});
}

void TstDeidentify::counts_add_up() {
    DeidentifyCounts counts;
    deidentify("a@b.com c@d.org 10.0.0.1 http://x.io", &counts);
    deidentify("e@f.net", &counts);
    QCOMPARE(counts.email, std::size_t{3});
    QCOMPARE(counts.ip, std::size_t{1});
    QCOMPARE(counts.url, std::size_t{1});
    QCOMPARE(counts.total(), std::size_t{5});
}

void TstDeidentify::rows_in_chosen_columns() {
    std::vector<std::vector<std::string>> rows{{"a@b.com", "x@y.com"}, {"pos", "10.1.1.1"}};
    const DeidentifyCounts counts = deidentify_rows(rows, {1});
    QCOMPARE(rows[0][0], std::string("a@b.com"));  // label column untouched
    QCOMPARE(rows[0][1], std::string("[EMAIL]"));
    QCOMPARE(rows[1][1], std::string("[IP]"));
    QCOMPARE(counts.total(), std::size_t{2});
}

void TstDeidentify::id_length_is_configurable() {
    tb::data::DeidentifyOptions options;
    options.min_id_digits = 6;
    QCOMPARE(deidentify("order 1234567 shipped", nullptr, options),
             std::string("order [ID] shipped"));
    QCOMPARE(deidentify("order 1234567 shipped"), std::string("order 1234567 shipped"));
}

QTEST_MAIN(TstDeidentify)
#include "tst_deidentify.moc"
