-- Signature nonces moved to a file of their own (store/nonces.rs): written several times a
-- second, here they made every connection drop its page cache of the fleet's tables.
DROP TABLE signature_nonces;
