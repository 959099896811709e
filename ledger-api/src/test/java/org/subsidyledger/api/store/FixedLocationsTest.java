package org.subsidyledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.VoucherId;

/**
 * Where a voucher lives is remembered once it was read committed, and only then: a row the reading transaction wrote
 * itself is not kept (a rollback takes it back), and an absent voucher is asked again each time.
 */
class FixedLocationsTest {
    private JdbcTemplate jdbc;
    private TransactionTemplate transaction;
    private JdbcLedgerIndex index;

    @BeforeEach
    void database() {
        JdbcDataSource source = new JdbcDataSource();
        source.setURL("jdbc:h2:mem:fixed-locations-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(source);
        jdbc.execute(
                "CREATE TABLE voucher_location (voucher_id VARCHAR(64) PRIMARY KEY, program_id VARCHAR(64) NOT NULL,"
                        + " expires_at TIMESTAMP WITH TIME ZONE NOT NULL, status VARCHAR(16) NOT NULL)");
        jdbc.execute(
                "CREATE TABLE program_location (program_id VARCHAR(64) PRIMARY KEY, province VARCHAR(16) NOT NULL)");
        transaction = new TransactionTemplate(new DataSourceTransactionManager(source));
        index = new JdbcLedgerIndex(jdbc);
    }

    @Test
    void aRowReadInsideItsOwnTransactionIsNotKeptAfterARollback() {
        transaction.executeWithoutResult(tx -> {
            insert("v-1", "p-rolled-back");
            assertThat(index.programOfVoucher(VoucherId.of("v-1"))).contains(ProgramId.of("p-rolled-back"));
            tx.setRollbackOnly();
        });

        assertThat(index.programOfVoucher(VoucherId.of("v-1"))).isEmpty();
    }

    @Test
    void aCommittedLocationIsRememberedAndAnAbsentOneIsAskedAgain() {
        assertThat(index.programOfVoucher(VoucherId.of("v-2"))).isEmpty();
        insert("v-2", "p-2");
        assertThat(index.programOfVoucher(VoucherId.of("v-2")))
                .as("found once committed, though it was absent before")
                .contains(ProgramId.of("p-2"));

        jdbc.update("DELETE FROM voucher_location WHERE voucher_id = 'v-2'");
        assertThat(index.programOfVoucher(VoucherId.of("v-2")))
                .as("answered from memory: the row is not read again")
                .contains(ProgramId.of("p-2"));
    }

    @Test
    void aProgramsProvinceIsRememberedOnceCommitted() {
        jdbc.update("INSERT INTO program_location (program_id, province) VALUES ('p-3', 'CN-ZJ')");
        assertThat(index.provinceOfProgram(ProgramId.of("p-3"))).contains("CN-ZJ");
        jdbc.update("DELETE FROM program_location");
        assertThat(index.provinceOfProgram(ProgramId.of("p-3"))).contains("CN-ZJ");
        assertThat(index.provinceOfProgram(ProgramId.of("p-4"))).isEmpty();
    }

    private void insert(String voucher, String program) {
        jdbc.update(
                "INSERT INTO voucher_location (voucher_id, program_id, expires_at, status)"
                        + " VALUES (?, ?, TIMESTAMP WITH TIME ZONE '2030-01-01 00:00:00+00', 'ACTIVE')",
                voucher,
                program);
    }
}
